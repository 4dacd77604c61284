package dev.bluepost.bluebutton;

import dev.bluepost.crypto.DirectSmime;
import dev.bluepost.platform.mail.LoopbackSmtpServer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The demo's and tests' HISP (bluepost.direct.mock-hisp): at start it generates the practice's
 * signing certificate ({@link #PRACTICE_ADDRESS}) and one recipient with its key
 * ({@link #RECIPIENT_ADDRESS}, the only certificate of the trust bundle), and listens for SMTP on
 * 127.0.0.1 (a free port). Every message it receives is decrypted with the recipient's key and its
 * signature verified against the practice's certificate; the outcome is kept in memory (and shown
 * in the demo's log by id). Nothing leaves the machine.
 */
@ApplicationScoped
public class MockHisp {

    public static final String PRACTICE_ADDRESS = "records@direct.bluepost-demo.test";
    public static final String RECIPIENT_ADDRESS = "referrals@direct.other-clinic.test";

    /** One message as the relay received it: the envelope recipient, the raw bytes, and what opening it found. */
    public record Received(
            String recipient,
            byte[] raw,
            boolean decrypted,
            boolean signatureValid,
            List<String> parts) {}

    private final DirectConfig config;
    private final DirectTransport transport;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private DirectSmime.Identity practice;
    private DirectSmime.Identity recipient;
    private LoopbackSmtpServer server;

    public MockHisp(DirectConfig config, DirectTransport transport) {
        this.config = config;
        this.transport = transport;
    }

    void start(@Observes StartupEvent event) {
        if (!config.mockHisp()) {
            return;
        }
        practice = DirectSmime.generate("Bluepost demo practice", PRACTICE_ADDRESS);
        recipient = DirectSmime.generate("Other Clinic referrals", RECIPIENT_ADDRESS);
        server = LoopbackSmtpServer.start("mock-hisp", this::receive);
        transport.install(
                new DirectTransport.Setup(
                        PRACTICE_ADDRESS,
                        practice,
                        List.of(recipient.certificate()),
                        new SmtpRelay.Settings("127.0.0.1", server.port(), "none", null, null)));
        Log.infof(
                "mock HISP listening on 127.0.0.1:%d (demo Direct recipient: the only certificate of the trust bundle)",
                server.port());
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close();
        }
    }

    /** The practice's certificate (what a recipient verifies signatures with). */
    public X509Certificate practiceCertificate() {
        return practice.certificate();
    }

    /** The demo recipient's key and certificate (what a recipient decrypts with). */
    public DirectSmime.Identity recipient() {
        return recipient;
    }

    /** The messages received so far, oldest first. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    private void receive(LoopbackSmtpServer.Received message) {
        String to = message.recipients().isEmpty() ? null : message.recipients().get(0);
        try {
            DirectMessage.Opened opened =
                    DirectMessage.open(message.raw(), recipient, practice.certificate());
            received.add(
                    new Received(
                            to,
                            message.raw(),
                            true,
                            opened.signatureValid(),
                            opened.parts().stream().map(DirectMessage.File::contentType).toList()));
            Log.infof(
                    "mock HISP received a Direct message: decrypted=true signatureValid=%s parts=%d",
                    opened.signatureValid(), opened.parts().size());
        } catch (RuntimeException e) {
            received.add(new Received(to, message.raw(), false, false, List.of()));
            Log.warnf(
                    "mock HISP received a message it could not open: %s",
                    e.getClass().getSimpleName());
        }
    }
}
