package dev.bluepost.identity.apps;

import dev.bluepost.identity.apps.BackendClientService.ClientView;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import dev.bluepost.platform.web.Flash;
import dev.bluepost.platform.web.FormErrors;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * "Connected systems" (/admin/integrations): the practice's admin registers the practice's backend
 * clients (its EHR, a reporting tool) with their public keys, sees the client id and the token
 * address to give the system, replaces keys and turns a client off (ADR 0048).
 */
@Path("/admin/integrations")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.TEXT_HTML)
public class IntegrationsPage {

    /** What the form says (shown again when it is refused); {@code client} is null for a new one. */
    public record Form(ClientView client, String name, String jwks) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance integrations(
                List<ClientView> clients, String tokenUrl, boolean saved);

        static native TemplateInstance integration(
                Form form, String tokenUrl, boolean saved, FormErrors errors);
    }

    @Inject CurrentActor currentActor;

    @Inject BackendClientService clients;

    @Inject BackendClientGrant grant;

    @Inject ReaderLanguage reader;

    @Inject RoutingContext routing;

    @ConfigProperty(name = "bluepost.security.secure-cookies", defaultValue = "true")
    boolean secureCookies;

    @GET
    public TemplateInstance list() {
        return Templates.integrations(
                clients.clientsOf(currentActor.get().practiceId()), grant.tokenUrl(), takeSaved());
    }

    @GET
    @Path("new")
    public TemplateInstance newForm() {
        return Templates.integration(
                new Form(null, "", ""), grant.tokenUrl(), false, FormErrors.none());
    }

    @GET
    @Path("{id}")
    public TemplateInstance edit(@PathParam("id") String id) {
        ClientView client = clients.clientOf(currentActor.get(), id(id));
        return Templates.integration(
                new Form(client, client.name(), ""),
                grant.tokenUrl(),
                takeSaved(),
                FormErrors.none());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response register(@FormParam("name") String name, @FormParam("jwks") String jwks) {
        try {
            ClientView client = clients.register(currentActor.get(), name, jwks);
            return saved("/admin/integrations/" + client.id());
        } catch (BluepostException refused) {
            return refusedForm(new Form(null, name, jwks), refused);
        }
    }

    @POST
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response replaceKeys(
            @PathParam("id") String id,
            @FormParam("name") String name,
            @FormParam("jwks") String jwks) {
        ClientView client = clients.clientOf(currentActor.get(), id(id));
        try {
            clients.replaceKeys(currentActor.get(), client.id(), name, jwks);
            return saved("/admin/integrations/" + client.id());
        } catch (BluepostException refused) {
            return refusedForm(new Form(client, name, jwks), refused);
        }
    }

    @POST
    @Path("{id}/disable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response disable(@PathParam("id") String id) {
        clients.setEnabled(currentActor.get(), id(id), false);
        return saved("/admin/integrations");
    }

    @POST
    @Path("{id}/enable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response enable(@PathParam("id") String id) {
        clients.setEnabled(currentActor.get(), id(id), true);
        return saved("/admin/integrations");
    }

    private Response refusedForm(Form form, BluepostException refused) {
        String text = refused.in(reader.language());
        FormErrors errors =
                refused.field()
                        .map(f -> FormErrors.field(f, text))
                        .orElseGet(() -> FormErrors.form(text));
        return Response.status(refused.kind().status())
                .type(MediaType.TEXT_HTML)
                .entity(Templates.integration(form, grant.tokenUrl(), false, errors))
                .build();
    }

    private Response saved(String path) {
        return Response.seeOther(URI.create(path))
                .cookie(Flash.next("/admin/integrations", "saved", secureCookies))
                .build();
    }

    private boolean takeSaved() {
        return Flash.take(routing, "/admin/integrations").filter("saved"::equals).isPresent();
    }

    private static UUID id(String value) {
        return Ids.parse(value)
                .orElseThrow(
                        () ->
                                BackendClientService.refused(
                                        ErrorKind.NOT_FOUND,
                                        null,
                                        IntegrationMessages::error_not_found));
    }
}
