package dev.bluepost.identity;

import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.Optional;

/**
 * What the pages' session script ({@code /js/session.js}) asks: how long the browser session has
 * left ({@code GET /session/status}, a background request that never extends it), and "the person
 * is still here" ({@code POST /session/keep-alive}: the "Stay signed in" button, or typing in the
 * page), which does. The script warns a minute before the inactivity limit, keeps a half-written
 * reply as a draft, and at the limit goes to the sign-in page, which says why.
 */
@Path("/session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    /**
     * @param signedIn         the request's session is open
     * @param remainingSeconds how long until it ends for inactivity (or at its absolute limit), if nothing happens
     * @param timedOut         it ended (or has just been ended) for inactivity
     */
    public record SessionStatusResponse(
            boolean signedIn, long remainingSeconds, boolean timedOut) {}

    @Inject CurrentActor currentActor;

    @Inject SessionService sessions;

    @Inject RoutingContext routing;

    /** The session's time left; asking is not activity. Answers for anyone (signed out: {@code signedIn=false}). */
    @GET
    @Path("status")
    @PermitAll
    public SessionStatusResponse status() {
        return answer(
                currentActor.find().isPresent()
                        ? sessions.remaining(currentActor.sessionId())
                        : Optional.empty());
    }

    /** The person is still here: the session's last activity is now. CSRF-checked like every form post. */
    @POST
    @Path("keep-alive")
    @RolesAllowed({
        Roles.PATIENT,
        Roles.PROXY,
        Roles.PROVIDER,
        Roles.FRONT_DESK,
        Roles.COMPLIANCE,
        Roles.ADMIN
    })
    public SessionStatusResponse keepAlive() {
        return answer(sessions.keepAlive(currentActor.sessionId()));
    }

    private SessionStatusResponse answer(Optional<Duration> remaining) {
        return remaining
                .map(left -> new SessionStatusResponse(true, left.toSeconds(), false))
                .orElseGet(
                        () ->
                                new SessionStatusResponse(
                                        false,
                                        0,
                                        Boolean.TRUE.equals(
                                                routing.get(
                                                        SessionAuthenticationMechanism
                                                                .TIMED_OUT))));
    }
}
