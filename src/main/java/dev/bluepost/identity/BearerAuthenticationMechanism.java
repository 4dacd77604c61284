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
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Optional;
import java.util.Set;

/** OAuth2 bearer tokens issued by {@code POST /oauth/token}: {@code Authorization: Bearer <jwt>}. */
@ApplicationScoped
public class BearerAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String PREFIX = "bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() <= PREFIX.length()
                || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Uni.createFrom().optional(Optional.empty());
        }
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                new BearerTokenRequest(header.substring(PREFIX.length()).trim()), context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"bluepost\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(BearerTokenRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }

    public static final class BearerTokenRequest extends BaseAuthenticationRequest {
        final String token;

        BearerTokenRequest(String token) {
            this.token = token;
        }
    }

    /** Verifies the token's signature, issuer and expiry; a system client's token carries the SYSTEM role. */
    @ApplicationScoped
    public static class BearerIdentityProvider implements IdentityProvider<BearerTokenRequest> {

        private final TokenService tokens;
        private final SecurityConfig config;

        public BearerIdentityProvider(TokenService tokens, SecurityConfig config) {
            this.tokens = tokens;
            this.config = config;
        }

        @Override
        public Class<BearerTokenRequest> getRequestType() {
            return BearerTokenRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(BearerTokenRequest request, AuthenticationRequestContext context) {
            JsonWebToken jwt = tokens.verify(request.token)
                    .orElseThrow(() -> new AuthenticationFailedException("invalid or expired token"));
            String clientId = jwt.getSubject();
            if (!config.systemClientId().equals(clientId)) {
                throw new AuthenticationFailedException("unknown client");
            }
            Actor actor = Actor.system(clientId);
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(actor.logId()))
                    .addRole(Role.SYSTEM.name())
                    .addAttribute(CurrentActor.ATTRIBUTE, actor)
                    .build());
        }
    }
}
