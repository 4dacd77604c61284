package dev.bluepost.bluebutton;

import dev.bluepost.crypto.DirectSmime;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The practice's Direct identity and HISP relay, read from {@link DirectConfig} at start (or given
 * by the {@link MockHisp} in the demo and tests): finds a recipient's certificate in the trust
 * bundle by their Direct address (or its domain), and sends one signed and encrypted message.
 * Logs carry no address: the number of certificates, the relay's reply code.
 */
@ApplicationScoped
@Startup
public class DirectTransport {

    /** The identity, trust bundle and relay in use. */
    record Setup(
            String address,
            DirectSmime.Identity practice,
            List<X509Certificate> trustBundle,
            SmtpRelay.Settings relay) {}

    private final DirectConfig config;
    private volatile Setup setup;

    public DirectTransport(DirectConfig config) {
        this.config = config;
    }

    @PostConstruct
    void load() {
        if (config.mockHisp()) {
            return;
        }
        if (config.address().isEmpty()
                || config.signingCertificate().isEmpty()
                || config.signingKey().isEmpty()
                || config.trustBundle().isEmpty()
                || config.relay().host().isEmpty()) {
            Log.info(
                    "Direct transmit not configured (bluepost.direct.*): patients may send copies by ordinary e-mail only");
            return;
        }
        List<X509Certificate> chain =
                DirectSmime.readCertificates(config.signingCertificate().get());
        if (chain.isEmpty()) {
            throw new IllegalStateException(
                    "bluepost.direct.signing-certificate holds no certificate");
        }
        String password =
                config.relay()
                        .passwordFile()
                        .map(
                                path -> {
                                    try {
                                        return Files.readString(path, StandardCharsets.UTF_8)
                                                .strip();
                                    } catch (IOException e) {
                                        throw new IllegalStateException(
                                                "bluepost.direct.relay.password-file cannot be read",
                                                e);
                                    }
                                })
                        .orElse("");
        String tls = config.relay().tls().toLowerCase(Locale.ROOT);
        if (!List.of("starttls", "tls", "none").contains(tls)) {
            throw new IllegalStateException(
                    "bluepost.direct.relay.tls must be starttls, tls or none");
        }
        install(
                new Setup(
                        config.address().get().strip(),
                        new DirectSmime.Identity(
                                DirectSmime.readPrivateKey(config.signingKey().get()),
                                chain.get(0)),
                        DirectSmime.readCertificates(config.trustBundle().get()),
                        new SmtpRelay.Settings(
                                config.relay().host().get(),
                                config.relay().port(),
                                tls,
                                config.relay().username().orElse(null),
                                password)));
    }

    /** Puts an identity, trust bundle and relay to use (at start; the mock HISP's in the demo and tests). */
    void install(Setup setup) {
        this.setup = setup;
        Log.infof(
                "Direct transmit ready: trust bundle of %d certificates",
                setup.trustBundle().size());
    }

    /** The identity, trust bundle and relay in use; null when Direct is not set up. */
    Setup setup() {
        return setup;
    }

    /** Whether patients can send to a Direct address here. */
    public boolean available() {
        return setup != null;
    }

    /**
     * The certificate of a Direct address in the trust bundle: one bound to the address itself
     * (subjectAltName rfc822Name, or the subject's e-mail), else one bound to its domain (dNSName).
     */
    Optional<X509Certificate> certificateFor(String address) {
        Setup current = setup;
        if (current == null) {
            return Optional.empty();
        }
        String wanted = address.toLowerCase(Locale.ROOT);
        String domain = wanted.substring(wanted.indexOf('@') + 1);
        X509Certificate domainBound = null;
        for (X509Certificate certificate : current.trustBundle()) {
            try {
                certificate.checkValidity();
            } catch (java.security.cert.CertificateException e) {
                continue;
            }
            List<String> names = DirectSmime.boundTo(certificate);
            if (names.contains(wanted)) {
                return Optional.of(certificate);
            }
            if (domainBound == null && names.contains(domain)) {
                domainBound = certificate;
            }
        }
        return Optional.ofNullable(domainBound);
    }

    /** Signs, encrypts and hands the message to the relay; throws {@link SmtpRelay.RelayException} when it is not accepted. */
    void send(
            String to,
            X509Certificate recipient,
            String subject,
            String note,
            DirectMessage.File file)
            throws SmtpRelay.RelayException {
        Setup current = setup;
        byte[] message =
                DirectMessage.build(
                        current.address(), to, subject, note, file, current.practice(), recipient);
        SmtpRelay.send(current.relay(), current.address(), to, message);
    }

    /** The trust bundle's certificates (for the mock HISP's recipients). */
    List<X509Certificate> trustBundle() {
        Setup current = setup;
        return current == null ? List.of() : new ArrayList<>(current.trustBundle());
    }
}
