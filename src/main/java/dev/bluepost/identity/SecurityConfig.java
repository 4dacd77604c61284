package dev.bluepost.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "bluepost.security")
public interface SecurityConfig {

    /** BLUEPOST_SYSTEM_CLIENT_ID: the system client with full access (fhir-api.md). */
    String systemClientId();

    /** BLUEPOST_SYSTEM_CLIENT_SECRET; required in production. */
    String systemClientSecret();

    @WithDefault("PT1H")
    Duration tokenLifetime();

    @WithDefault("https://bluepost.dev/oauth")
    String tokenIssuer();

    /** PEM (PKCS#8) RSA private key that signs access tokens; empty = development key in the data directory. */
    Optional<String> signingKeyLocation();

    SessionIdleTimeout sessionIdleTimeout();

    @WithDefault("PT12H")
    Duration sessionAbsoluteTimeout();

    /** Secure flag on cookies (off only for plain-http demo and tests). */
    @WithDefault("true")
    boolean secureCookies();

    @WithDefault("10")
    int maxFailedLogins();

    @WithDefault("PT15M")
    Duration lockout();

    interface SessionIdleTimeout {
        @WithDefault("PT15M")
        Duration staff();

        @WithDefault("PT30M")
        Duration patient();
    }
}
