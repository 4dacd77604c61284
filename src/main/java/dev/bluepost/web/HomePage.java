package dev.bluepost.web;

import dev.bluepost.identity.CurrentActor;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.Optional;

/** {@code /}: each person's start page, or the sign-in page. */
@Path("/")
public class HomePage {

    @Inject
    CurrentActor currentActor;

    @GET
    @PermitAll
    public Response home() {
        return Response.seeOther(URI.create(homeOf(currentActor.find()))).build();
    }

    public static String homeOf(Optional<Actor> actor) {
        if (actor.isEmpty()) {
            return "/login";
        }
        Actor a = actor.get();
        if (a.has(Role.PROXY) && a.patientId() == null) {
            return "/proxy/choose";
        }
        if (a.isPatientSide()) {
            return "/patient";
        }
        if (a.has(Role.FRONT_DESK) || a.has(Role.PROVIDER)) {
            return "/staff/queue";
        }
        if (a.has(Role.COMPLIANCE)) {
            return "/compliance";
        }
        if (a.has(Role.ADMIN)) {
            return "/admin";
        }
        return "/login";
    }
}
