package dev.bluepost.identity.apps;

import dev.bluepost.identity.SecurityConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The patient apps registered by configuration ({@code bluepost.security.apps.<id>.*}). Each
 * redirect URI is checked at start-up: absolute, without fragment, https, or http only on a
 * loopback address (RFC 8252 §7.3). An app with a bad entry stops the application from starting.
 */
@ApplicationScoped
public class ClientApps {

    /** A registered app. */
    public record ClientApp(String id, String name, List<String> redirectUris) {

        /** Exact string comparison, as OAuth 2.0 security best practice asks (no pattern matching). */
        public boolean allowsRedirect(String uri) {
            return uri != null && redirectUris.contains(uri);
        }
    }

    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

    private final Map<String, ClientApp> apps = new TreeMap<>();

    public ClientApps(SecurityConfig config) {
        config.apps()
                .forEach(
                        (id, app) -> {
                            if (!CLIENT_ID.matcher(id).matches()) {
                                throw new IllegalStateException(
                                        "bluepost.security.apps: the client id '"
                                                + id
                                                + "' may use only letters, digits, '.', '_' and '-'");
                            }
                            if (id.equals(config.systemClientId())) {
                                throw new IllegalStateException(
                                        "bluepost.security.apps."
                                                + id
                                                + ": the system client's id cannot name an app");
                            }
                            if (app.name() == null
                                    || app.name().isBlank()
                                    || app.name().length() > 100) {
                                throw new IllegalStateException(
                                        "bluepost.security.apps."
                                                + id
                                                + ".name: 1 to 100 characters");
                            }
                            if (app.redirectUris().isEmpty()) {
                                throw new IllegalStateException(
                                        "bluepost.security.apps."
                                                + id
                                                + ".redirect-uris: at least one");
                            }
                            app.redirectUris().forEach(uri -> checkRedirectUri(id, uri));
                            apps.put(
                                    id,
                                    new ClientApp(
                                            id,
                                            app.name().strip(),
                                            List.copyOf(app.redirectUris())));
                        });
    }

    public Optional<ClientApp> app(String clientId) {
        return clientId == null ? Optional.empty() : Optional.ofNullable(apps.get(clientId));
    }

    /** {@code scheme://host[:port]} of a registered redirect URI (for the consent page's form-action). */
    public static String origin(String redirectUri) {
        URI uri = URI.create(redirectUri);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static void checkRedirectUri(String id, String text) {
        String where = "bluepost.security.apps." + id + ".redirect-uris: '" + text + "' ";
        try {
            URI uri = new URI(text);
            if (!uri.isAbsolute()
                    || uri.getRawFragment() != null
                    || uri.getHost() == null
                    || uri.getRawUserInfo() != null) {
                throw new IllegalStateException(
                        where
                                + "must be an absolute URI with a host and without fragment or user info");
            }
            boolean https = "https".equals(uri.getScheme());
            boolean loopback = "http".equals(uri.getScheme()) && LOOPBACK.contains(uri.getHost());
            if (!https && !loopback) {
                throw new IllegalStateException(
                        where + "must use https (http only on a loopback address)");
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException(where + "is not a URI");
        }
    }
}
