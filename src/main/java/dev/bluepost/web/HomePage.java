package dev.bluepost.web;

import dev.bluepost.identity.StartPages;
import dev.bluepost.platform.security.CurrentActor;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** {@code /}: each person's start page, or the sign-in page. */
@Path("/")
public class HomePage {

    @Inject CurrentActor currentActor;

    @GET
    @PermitAll
    public Response home() {
        return Response.seeOther(URI.create(StartPages.of(currentActor.find()))).build();
    }
}
