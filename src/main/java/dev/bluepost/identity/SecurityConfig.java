package dev.bluepost.identity;

import dev.bluepost.identity.apps.AppConsentUse;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "bluepost.security")
public interface SecurityConfig {

    /** BLUEPOST_SYSTEM_CLIENT_ID: the system client with full access (docs/fhir.md §2). */
    String systemClientId();

    /** BLUEPOST_SYSTEM_CLIENT_SECRET; required in production. */
    String systemClientSecret();

    @WithDefault("PT1H")
    Duration tokenLifetime();

    @WithDefault("https://bluepost.dev/oauth")
    String tokenIssuer();

    /**
     * How often the patient apps' last uses, noted in memory, are written to {@code app_consent.last_used_at}
     * ({@link AppConsentUse}; the scheduled job reads the property).
     */
    @WithDefault("30s")
    Duration appUseWriteInterval();

    /** PEM (PKCS#8) RSA private key that signs access tokens; empty = development key in the data directory. */
    Optional<String> signingKeyLocation();

    SessionIdleTimeout sessionIdleTimeout();

    @WithDefault("PT12H")
    Duration sessionAbsoluteTimeout();

    /** Secure flag on cookies (off only for plain-http demo and tests). */
    @WithDefault("true")
    boolean secureCookies();

    Password password();

    /** Password rules (NIST SP 800-63B; {@link PasswordPolicy}). */
    interface Password {
        @WithDefault("8")
        int minLength();

        /** Administrators' passwords are longer. */
        @WithDefault("15")
        int adminMinLength();

        @WithDefault("128")
        int maxLength();
    }

    @WithDefault("10")
    int maxFailedLogins();

    @WithDefault("PT15M")
    Duration lockout();

    /**
     * Patient apps registered for the authorization-code grant, by client id:
     * {@code bluepost.security.apps.<id>.name} and {@code .redirect-uris} (ADR 0012).
     */
    Map<String, App> apps();

    /** A registered public client (no secret; it proves itself with PKCE). */
    interface App {
        /** Shown to the person on the consent page. */
        String name();

        /** The exact redirect URIs the app may use: https, or http on a loopback address. */
        List<String> redirectUris();
    }

    interface SessionIdleTimeout {
        @WithDefault("PT15M")
        Duration staff();

        @WithDefault("PT30M")
        Duration patient();

        /** Per-role limits ({@code …session-idle-timeout.role.PROVIDER=PT10M}); the smallest of a login's roles wins. */
        Map<String, Duration> role();
    }

    /** Password reset by e-mail link ({@link PasswordResetService}, ADR 0040). */
    PasswordReset passwordReset();

    interface PasswordReset {
        /** How long a reset link works (it works once). */
        @WithDefault("PT30M")
        Duration linkLifetime();

        /** Most requests on /login/forgot for one address in {@link #window()}; further ones send nothing. */
        @WithDefault("3")
        int maxPerAddress();

        /** Most requests on /login/forgot from one client (IP address) in {@link #window()}. */
        @WithDefault("10")
        int maxPerClient();

        @WithDefault("PT1H")
        Duration window();
    }

    /** Patient enrolment with activation codes ({@link ActivationService}, ADR 0041). */
    Activation activation();

    interface Activation {
        /** How long an activation code works (it works once). */
        @WithDefault("P14D")
        Duration codeLifetime();

        /** Wrong dates of birth typed with one code before it stops working. */
        @WithDefault("5")
        int maxAttemptsPerCode();

        /** Failed activations from one client (IP address) in {@link #window()}; further ones are refused. */
        @WithDefault("10")
        int maxPerClient();

        @WithDefault("PT1H")
        Duration window();
    }
}
