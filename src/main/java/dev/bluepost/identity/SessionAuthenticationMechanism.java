package dev.bluepost.identity;

import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Role;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Browser sessions: the {@code bp_session} cookie names a server-side {@link WebSession}. Never on
 * the FHIR API, which only bearer tokens reach.
 */
@ApplicationScoped
public class SessionAuthenticationMechanism implements HttpAuthenticationMechanism {

    public static final String COOKIE = "bp_session";

    /** Routing-context key set when the request's session had just ended after inactivity. */
    public static final String TIMED_OUT = "bluepost.session-timed-out";

    @Override
    public Uni<SecurityIdentity> authenticate(
            RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (context.request().path().startsWith("/fhir")) {
            // the FHIR API takes bearer tokens only: a cookie that a browser sends by itself would
            // let another site act for the person (CSRF)
            return Uni.createFrom().optional(Optional.empty());
        }
        Cookie cookie = context.request().getCookie(COOKIE);
        if (cookie == null || cookie.getValue().isBlank()) {
            return Uni.createFrom().optional(Optional.empty());
        }
        boolean background =
                BackgroundRequests.isBackground(
                        context.request().path(),
                        context.request().getHeader(BackgroundRequests.HEADER));
        return identityProviderManager.authenticate(
                HttpSecurityUtils.setRoutingContextAttribute(
                        new SessionTokenRequest(cookie.getValue(), background), context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, null, null));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(SessionTokenRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom()
                .item(new HttpCredentialTransport(HttpCredentialTransport.Type.COOKIE, COOKIE));
    }

    /**
     * The session cookie's token, to be checked against the database; {@code background}: a request a
     * page's script sent by itself ({@link BackgroundRequests}), which does not count as activity.
     */
    public static final class SessionTokenRequest extends BaseAuthenticationRequest {
        final String token;
        final boolean background;

        SessionTokenRequest(String token, boolean background) {
            this.token = token;
            this.background = background;
        }
    }

    /** Resolves a session token to the login's {@link Actor} (blocking: it reads the database). */
    @ApplicationScoped
    public static class SessionIdentityProvider implements IdentityProvider<SessionTokenRequest> {

        private final SessionService sessions;
        private final IdentityService identities;

        public SessionIdentityProvider(SessionService sessions, IdentityService identities) {
            this.sessions = sessions;
            this.identities = identities;
        }

        @Override
        public Class<SessionTokenRequest> getRequestType() {
            return SessionTokenRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(
                SessionTokenRequest request, AuthenticationRequestContext context) {
            RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
            return context.runBlocking(() -> resolve(request.token, request.background, routing));
        }

        @ActivateRequestContext
        SecurityIdentity resolve(String token, boolean background, RoutingContext routing) {
            Optional<SessionService.ActiveSession> found = sessions.resolve(token, !background);
            if (found.isEmpty()) {
                if (routing != null
                        && sessions.endReason(token).filter("idle"::equals).isPresent()) {
                    // the sign-in page tells the person why they are there
                    routing.put(TIMED_OUT, Boolean.TRUE);
                }
                throw new AuthenticationFailedException("session ended");
            }
            SessionService.ActiveSession session = found.get();
            if (!session.full()) {
                // the password was right but the second factor is still due: nobody yet
                return QuarkusSecurityIdentity.builder().setAnonymous(true).build();
            }
            Actor actor =
                    identities
                            .actorFor(session.userId(), session.actingRelatedPersonId())
                            .orElseThrow(() -> new AuthenticationFailedException("login disabled"));
            return identity(actor, session.id());
        }

        static SecurityIdentity identity(Actor actor, UUID sessionId) {
            QuarkusSecurityIdentity.Builder builder =
                    QuarkusSecurityIdentity.builder()
                            .setPrincipal(new QuarkusPrincipal(actor.logId()))
                            .addAttribute(CurrentActor.ATTRIBUTE, actor)
                            .addAttribute(CurrentActor.SESSION_ID_ATTRIBUTE, sessionId);
            for (Role role : actor.roles()) {
                builder.addRole(role.name());
            }
            return builder.build();
        }
    }
}
