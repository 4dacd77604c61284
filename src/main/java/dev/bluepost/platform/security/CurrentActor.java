package dev.bluepost.platform.security;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/** The {@link Actor} of the current request, as established by the authentication mechanisms. */
@RequestScoped
public class CurrentActor {

    public static final String ATTRIBUTE = "bluepost.actor";

    /** The browser session id, for callers authenticated by a session cookie. */
    public static final String SESSION_ID_ATTRIBUTE = "bluepost.session-id";

    /** The {@code patient/…} scopes of a patient app's access token ({@link SmartScopes}). */
    public static final String SCOPES_ATTRIBUTE = "bluepost.scopes";

    @Inject SecurityIdentity identity;

    public Actor get() {
        return find().orElseThrow(UnauthorizedException::new);
    }

    public Optional<Actor> find() {
        try {
            if (identity == null || identity.isAnonymous()) {
                return Optional.empty();
            }
        } catch (io.quarkus.security.AuthenticationFailedException e) {
            // credentials that do not authenticate here (a patient app's token on a page): signed
            // out, for
            // pages anyone may open; endpoints that need a role have refused the request before
            // this
            return Optional.empty();
        }
        return Optional.ofNullable(identity.getAttribute(ATTRIBUTE));
    }

    /** The scopes of a patient app's access token; {@link SmartScopes#NONE} for every other caller. */
    public SmartScopes scopes() {
        SmartScopes scopes = identity == null ? null : identity.getAttribute(SCOPES_ATTRIBUTE);
        return scopes == null ? SmartScopes.NONE : scopes;
    }

    /** The browser session id (null for token callers). */
    public java.util.UUID sessionId() {
        return identity == null ? null : identity.getAttribute(SESSION_ID_ATTRIBUTE);
    }
}
