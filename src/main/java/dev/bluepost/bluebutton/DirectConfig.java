package dev.bluepost.bluebutton;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The practice's Direct identity and its HISP relay (docs/operations.md, "Direct transmit";
 * docs/adr/0046): the signing certificate and key, the trust bundle of recipients' certificates and
 * the SMTP relay. Files and the relay password are given by reference (paths), never inline.
 */
@ConfigMapping(prefix = "bluepost.direct")
public interface DirectConfig {

    /**
     * A mock HISP in this process (demo and tests): a practice certificate and a recipient are
     * generated at start, and the relay is an SMTP listener on 127.0.0.1 that decrypts and verifies
     * what it receives. The files and relay below are then not read.
     */
    @WithDefault("false")
    boolean mockHisp();

    /** The practice's Direct address (the From of every Direct message), bound to the signing certificate. */
    Optional<String> address();

    /** PEM file: the practice's signing certificate (first) and its chain. */
    Optional<Path> signingCertificate();

    /** PEM file: the practice's signing key (unencrypted PKCS#8 or PKCS#1; keep it readable by the service only). */
    Optional<Path> signingKey();

    /** PEM file: the trust bundle, recipients' certificates found by their Direct address or domain. */
    Optional<Path> trustBundle();

    Relay relay();

    /** The HISP's SMTP relay. */
    interface Relay {

        Optional<String> host();

        @WithDefault("587")
        int port();

        /** {@code starttls} (required), {@code tls} (implicit TLS) or {@code none} (a relay on the same host only). */
        @WithDefault("starttls")
        String tls();

        Optional<String> username();

        /** File holding the relay password (a secret by reference). */
        Optional<Path> passwordFile();
    }
}
