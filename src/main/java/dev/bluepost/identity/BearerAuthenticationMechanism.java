package dev.bluepost.identity;

import dev.bluepost.identity.apps.AppConsentUse;
import dev.bluepost.identity.apps.BackendClientService;
import dev.bluepost.identity.apps.ClientApps;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.platform.security.SmartScopes;
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
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * OAuth2 bearer tokens issued by {@code POST /oauth/token}: {@code Authorization: Bearer <jwt>}. A
 * system client's token works on every endpoint that admits the SYSTEM role; a patient app's
 * token only on the FHIR API, and only while the person may still act for its patient.
 */
@ApplicationScoped
public class BearerAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String PREFIX = "bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(
            RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null
                || header.length() <= PREFIX.length()
                || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Uni.createFrom().optional(Optional.empty());
        }
        return identityProviderManager.authenticate(
                HttpSecurityUtils.setRoutingContextAttribute(
                        new BearerTokenRequest(header.substring(PREFIX.length()).trim()), context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom()
                .item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"bluepost\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(BearerTokenRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom()
                .item(
                        new HttpCredentialTransport(
                                HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }

    public static final class BearerTokenRequest extends BaseAuthenticationRequest {
        final String token;

        BearerTokenRequest(String token) {
            this.token = token;
        }
    }

    /**
     * Verifies the token's signature, issuer and expiry. A system client's token carries the SYSTEM
     * role. A patient app's token becomes the same {@link Actor} a browser session of that person
     * would (rebuilt from the database on every request, so a disabled login or a proxy
     * authorization that ended stops it at once), provided that its consent still stands and that
     * actor is still the patient (or acts for the patient) the token names.
     */
    @ApplicationScoped
    public static class BearerIdentityProvider implements IdentityProvider<BearerTokenRequest> {

        private final TokenService tokens;
        private final SecurityConfig config;
        private final ClientApps apps;
        private final IdentityService identities;
        private final AppConsentUse uses;

        public BearerIdentityProvider(
                TokenService tokens,
                SecurityConfig config,
                ClientApps apps,
                IdentityService identities,
                AppConsentUse uses) {
            this.tokens = tokens;
            this.config = config;
            this.apps = apps;
            this.identities = identities;
            this.uses = uses;
        }

        @Override
        public Class<BearerTokenRequest> getRequestType() {
            return BearerTokenRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(
                BearerTokenRequest request, AuthenticationRequestContext context) {
            JsonWebToken jwt =
                    tokens.verify(request.token)
                            .orElseThrow(
                                    () ->
                                            new AuthenticationFailedException(
                                                    "invalid or expired token"));
            String subject = jwt.getSubject();
            if (config.systemClientId().equals(subject)) {
                Actor actor = Actor.system(subject);
                return Uni.createFrom()
                        .item(
                                QuarkusSecurityIdentity.builder()
                                        .setPrincipal(new QuarkusPrincipal(actor.logId()))
                                        .addRole(Role.SYSTEM.name())
                                        .addAttribute(CurrentActor.ATTRIBUTE, actor)
                                        .build());
            }
            if (UserToken.text(jwt.getClaim(TokenService.CLAIM_PRACTICE)) != null) {
                return practiceClient(jwt, request, context);
            }
            String clientId = UserToken.text(jwt.getClaim(TokenService.CLAIM_CLIENT_ID));
            if (apps.app(clientId).isEmpty()) {
                throw new AuthenticationFailedException("unknown client");
            }
            RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
            if (routing == null || !routing.request().path().startsWith("/fhir")) {
                throw new AuthenticationFailedException(
                        "patient app tokens are for the FHIR API only");
            }
            UserToken token = UserToken.of(jwt);
            return context.runBlocking(() -> resolve(token, clientId));
        }

        /**
         * The consent and the actor are read with one statement (IdentityService.actorForConsent); the
         * consent's last use is noted in memory, not written here.
         */
        @ActivateRequestContext
        @jakarta.transaction.Transactional
        SecurityIdentity resolve(UserToken token, String clientId) {
            Actor actor =
                    identities
                            .actorForConsent(
                                    token.consentId(),
                                    clientId,
                                    token.userId(),
                                    token.relatedPersonId())
                            .filter(
                                    a ->
                                            a.has(token.role())
                                                    && token.patientId().equals(a.patientId()))
                            .filter(
                                    a ->
                                            token.role() != Role.PROXY
                                                    || token.relatedPersonId()
                                                            .equals(a.relatedPersonId()))
                            .orElseThrow(
                                    () ->
                                            new AuthenticationFailedException(
                                                    "the consent was revoked, or the login may no longer act for the token's patient"));
            uses.used(token.consentId()); // in memory; written in the background (AppConsentUse)
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(actor.logId()))
                    .addRole(token.role().name())
                    .addAttribute(CurrentActor.ATTRIBUTE, actor)
                    .addAttribute(CurrentActor.SCOPES_ATTRIBUTE, SmartScopes.parse(token.scope()))
                    .build();
        }
    }

    /**
     * A practice's backend client's token (ADR 0048) becomes {@link Actor#practiceClient}, for the FHIR
     * API only, while the client is enabled: what an instance knows of that is remembered for
     * {@link BackendClientService#ENABLED_CACHE}, so most requests read no database (a patient app's
     * request never comes here).
     */
    @ApplicationScoped
    @io.quarkus.arc
            .Unremovable // looked up, not injected: the identity provider's constructor stays as it
    // is
    public static class PracticeClients {

        private final BackendClientService clients;

        public PracticeClients(BackendClientService clients) {
            this.clients = clients;
        }

        public Optional<UUID> known(String clientId) {
            return clients.enabledPracticeIfKnown(clientId);
        }

        @ActivateRequestContext
        public Optional<UUID> lookUp(String clientId) {
            return clients.enabledPractice(clientId);
        }
    }

    static Uni<SecurityIdentity> practiceClient(
            JsonWebToken jwt, BearerTokenRequest request, AuthenticationRequestContext context) {
        RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
        if (routing == null || !routing.request().path().startsWith("/fhir")) {
            throw new AuthenticationFailedException(
                    "practice client tokens are for the FHIR API only");
        }
        String clientId = jwt.getSubject();
        UUID practiceId;
        try {
            practiceId = UUID.fromString(UserToken.text(jwt.getClaim(TokenService.CLAIM_PRACTICE)));
        } catch (IllegalArgumentException e) {
            throw new AuthenticationFailedException("malformed token claims");
        }
        SmartScopes scopes =
                SmartScopes.parseSystem(UserToken.text(jwt.getClaim(TokenService.CLAIM_SCOPE)));
        PracticeClients clients =
                io.quarkus.arc.Arc.container().instance(PracticeClients.class).get();
        Optional<UUID> known = clients.known(clientId);
        if (known != null) {
            return Uni.createFrom()
                    .item(practiceClientIdentity(clientId, practiceId, known, scopes));
        }
        return context.runBlocking(
                () ->
                        practiceClientIdentity(
                                clientId, practiceId, clients.lookUp(clientId), scopes));
    }

    private static SecurityIdentity practiceClientIdentity(
            String clientId, UUID practiceId, Optional<UUID> enabledPractice, SmartScopes scopes) {
        if (enabledPractice.isEmpty() || !enabledPractice.get().equals(practiceId)) {
            throw new AuthenticationFailedException(
                    "the client is unknown or was turned off by its practice");
        }
        Actor actor = Actor.practiceClient(clientId, practiceId);
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(actor.logId()))
                .addRole(Role.PRACTICE_CLIENT.name())
                .addAttribute(CurrentActor.ATTRIBUTE, actor)
                .addAttribute(CurrentActor.SCOPES_ATTRIBUTE, scopes)
                .build();
    }

    /** The claims of a patient app's token; a token missing one of them is refused. */
    public record UserToken(
            UUID userId,
            Role role,
            UUID patientId,
            UUID relatedPersonId,
            UUID consentId,
            String scope) {

        static UserToken of(JsonWebToken jwt) {
            try {
                Role role = Role.valueOf(claim(jwt, TokenService.CLAIM_ROLE));
                if (role != Role.PATIENT && role != Role.PROXY) {
                    throw new AuthenticationFailedException("not a patient app token");
                }
                String relatedPerson = text(jwt.getClaim(TokenService.CLAIM_RELATED_PERSON));
                if (role == Role.PROXY && relatedPerson == null) {
                    throw new AuthenticationFailedException(
                            "a proxy's token names the RelatedPerson");
                }
                return new UserToken(
                        UUID.fromString(jwt.getSubject()),
                        role,
                        UUID.fromString(claim(jwt, TokenService.CLAIM_PATIENT)),
                        relatedPerson == null ? null : UUID.fromString(relatedPerson),
                        UUID.fromString(claim(jwt, TokenService.CLAIM_CONSENT)),
                        claim(jwt, TokenService.CLAIM_SCOPE));
            } catch (IllegalArgumentException | ClassCastException e) {
                throw new AuthenticationFailedException("malformed token claims");
            }
        }

        private static String claim(JsonWebToken jwt, String name) {
            String value = text(jwt.getClaim(name));
            if (value == null) {
                throw new AuthenticationFailedException("missing claim " + name);
            }
            return value;
        }

        /** A string claim, whether the parser gives it as a String or a JSON string. */
        public static String text(Object value) {
            if (value instanceof jakarta.json.JsonString json) {
                return json.getString();
            }
            return value instanceof String string ? string : null;
        }
    }
}
