package dev.bluepost.platform.security;

import java.util.List;

/**
 * What Bluepost's authorization server offers SMART apps, in one place: the discovery document
 * ({@code /.well-known/smart-configuration}) and the CapabilityStatement's security section both
 * read it, so they agree (ADR 0047).
 */
public final class SmartConfiguration {

    public static final String AUTHORIZE_PATH = "oauth/authorize";
    public static final String TOKEN_PATH = "oauth/token";
    public static final String REVOKE_PATH = "oauth/revoke";

    /**
     * SMART App Launch 2 capabilities: standalone launch of public patient apps with v2 scopes and
     * refresh tokens; practices' backend clients authenticating with a signed assertion (SMART
     * Backend Services, {@code client-confidential-asymmetric}).
     */
    public static final List<String> CAPABILITIES =
            List.of(
                    "launch-standalone",
                    "client-public",
                    "client-confidential-asymmetric",
                    "context-standalone-patient",
                    "permission-offline",
                    "permission-patient",
                    "permission-v2");

    /** The signature algorithms of backend clients' assertions: RS384 and ES384 (what SMART requires), and three more. */
    public static final List<String> ASSERTION_ALGORITHMS =
            List.of("RS384", "ES384", "RS256", "RS512", "ES256");

    /** {@code none}: patient apps (public); {@code private_key_jwt}: backend clients; {@code client_secret_basic}: the system client. */
    public static final List<String> TOKEN_ENDPOINT_AUTH_METHODS =
            List.of("none", "private_key_jwt", "client_secret_basic");

    public static final List<String> GRANT_TYPES =
            List.of("authorization_code", "refresh_token", "client_credentials");

    private SmartConfiguration() {}
}
