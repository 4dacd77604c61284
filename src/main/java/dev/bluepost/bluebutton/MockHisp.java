package dev.bluepost.bluebutton;

import dev.bluepost.crypto.DirectSmime;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
    public record Received(String recipient, byte[] raw, boolean decrypted, boolean signatureValid, List<String> parts) {
    }

    private final DirectConfig config;
    private final DirectTransport transport;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private DirectSmime.Identity practice;
    private DirectSmime.Identity recipient;
    private ServerSocket server;

    public MockHisp(DirectConfig config, DirectTransport transport) {
        this.config = config;
        this.transport = transport;
    }

    void start(@Observes StartupEvent event) throws IOException {
        if (!config.mockHisp()) {
            return;
        }
        practice = DirectSmime.generate("Bluepost demo practice", PRACTICE_ADDRESS);
        recipient = DirectSmime.generate("Other Clinic referrals", RECIPIENT_ADDRESS);
        server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread listener = new Thread(this::listen, "mock-hisp");
        listener.setDaemon(true);
        listener.start();
        transport.install(new DirectTransport.Setup(PRACTICE_ADDRESS, practice, List.of(recipient.certificate()),
                new SmtpRelay.Settings("127.0.0.1", server.getLocalPort(), "none", null, null)));
        Log.infof("mock HISP listening on 127.0.0.1:%d (demo Direct recipient: the only certificate of the trust bundle)",
                server.getLocalPort());
    }

    void stop(@Observes ShutdownEvent event) throws IOException {
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

    private void listen() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                converse(socket);
            } catch (IOException e) {
                if (!server.isClosed()) {
                    Log.debugf("mock HISP connection ended: %s", e.getClass().getSimpleName());
                }
            }
        }
    }

    private void converse(Socket socket) throws IOException {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        reply(out, "220 mock-hisp ESMTP");
        String to = null;
        String line;
        while ((line = SmtpRelay.readLine(in)) != null) {
            String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line.toUpperCase(java.util.Locale.ROOT);
            switch (verb) {
                case "EHLO", "HELO" -> reply(out, "250-mock-hisp\r\n250 8BITMIME");
                case "MAIL", "RSET", "NOOP" -> reply(out, "250 OK");
                case "RCPT" -> {
                    to = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>'));
                    reply(out, "250 OK");
                }
                case "DATA" -> {
                    reply(out, "354 end with <CRLF>.<CRLF>");
                    byte[] message = readData(in);
                    receive(to, message);
                    reply(out, "250 OK queued");
                }
                case "QUIT" -> {
                    reply(out, "221 bye");
                    return;
                }
                default -> reply(out, "502 not implemented");
            }
        }
    }

    private void receive(String to, byte[] message) {
        try {
            DirectMessage.Opened opened = DirectMessage.open(message, recipient, practice.certificate());
            received.add(new Received(to, message, true, opened.signatureValid(),
                    opened.parts().stream().map(DirectMessage.File::contentType).toList()));
            Log.infof("mock HISP received a Direct message: decrypted=true signatureValid=%s parts=%d", opened.signatureValid(),
                    opened.parts().size());
        } catch (RuntimeException e) {
            received.add(new Received(to, message, false, false, List.of()));
            Log.warnf("mock HISP received a message it could not open: %s", e.getClass().getSimpleName());
        }
    }

    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        String line;
        while ((line = readRawLine(in)) != null) {
            if (line.equals(".")) {
                break;
            }
            String unstuffed = line.startsWith("..") ? line.substring(1) : line;
            data.writeBytes(unstuffed.getBytes(StandardCharsets.ISO_8859_1));
            data.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return data.toByteArray();
    }

    private static String readRawLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
