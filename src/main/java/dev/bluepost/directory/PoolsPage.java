package dev.bluepost.directory;

import dev.bluepost.directory.DirectoryViews.PoolView;
import dev.bluepost.directory.DirectoryViews.PractitionerView;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** The practice admin creates, renames and retires pools (care teams) and chooses their members (ADR 0042). */
@Path("/admin/pools")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.TEXT_HTML)
public class PoolsPage {

    /** A pool in the list: its members' names in words. */
    public record Row(PoolView pool, String members) {}

    /** A practitioner the pool can have, ticked when a member. */
    public record MemberBox(String id, String name, boolean checked) {}

    /** What the form says (shown again when it is refused). */
    public record Form(String id, String name, boolean active) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance pools(List<Row> pools, boolean saved);

        static native TemplateInstance pool(Form form, List<MemberBox> members, FormErrors errors);
    }

    @Inject CurrentActor currentActor;

    @Inject DirectoryService directory;

    @Inject DirectoryAdministration administration;

    @Inject ReaderLanguage reader;

    @Inject RoutingContext routing;

    @GET
    public TemplateInstance list() {
        UUID practice = currentActor.get().practiceId();
        Map<UUID, String> names =
                directory.practitionersOfPractice(practice).stream()
                        .collect(
                                Collectors.toMap(
                                        PractitionerView::id, PractitionerView::displayName));
        List<Row> rows =
                directory.allPoolsOfPractice(practice).stream()
                        .map(
                                p ->
                                        new Row(
                                                p,
                                                p.memberIds().stream()
                                                        .filter(names::containsKey)
                                                        .map(names::get)
                                                        .sorted()
                                                        .collect(Collectors.joining(", "))))
                        .toList();
        return Templates.pools(rows, DirectoryForms.takeSaved(routing));
    }

    @GET
    @Path("new")
    public TemplateInstance newForm() {
        return Templates.pool(new Form(null, "", true), boxes(Set.of()), FormErrors.none());
    }

    @GET
    @Path("{id}")
    public TemplateInstance edit(@PathParam("id") String id) {
        PoolView pool = own(DirectoryForms.id(id));
        return Templates.pool(
                new Form(pool.id().toString(), pool.name(), pool.active()),
                boxes(pool.memberIds()),
                FormErrors.none());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(
            @FormParam("name") String name, @FormParam("members") List<String> members) {
        return save(null, name, members, true);
    }

    @POST
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(
            @PathParam("id") String id,
            @FormParam("name") String name,
            @FormParam("members") List<String> members) {
        PoolView pool = own(DirectoryForms.id(id));
        return save(pool.id(), name, members, pool.active());
    }

    @POST
    @Path("{id}/retire")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response retire(@PathParam("id") String id) {
        administration.setPoolActive(currentActor.get(), DirectoryForms.id(id), false);
        return DirectoryForms.saved("/admin/pools");
    }

    @POST
    @Path("{id}/reactivate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reactivate(@PathParam("id") String id) {
        administration.setPoolActive(currentActor.get(), DirectoryForms.id(id), true);
        return DirectoryForms.saved("/admin/pools");
    }

    private Response save(UUID id, String name, List<String> members, boolean active) {
        Set<UUID> chosen = new LinkedHashSet<>();
        try {
            for (String member : members == null ? List.<String>of() : members) {
                chosen.add(
                        dev.bluepost.platform.Ids.parse(member)
                                .orElseThrow(
                                        () ->
                                                DirectoryAdministration.refused(
                                                        ErrorKind.BUSINESS_RULE,
                                                        "members",
                                                        DirectoryMessages::error_member_unknown)));
            }
            administration.savePool(currentActor.get(), id, name, chosen);
            return DirectoryForms.saved("/admin/pools");
        } catch (BluepostException refused) {
            Form form =
                    new Form(id == null ? null : id.toString(), name == null ? "" : name, active);
            return Response.status(refused.kind().status())
                    .entity(
                            Templates.pool(
                                    form, boxes(chosen), DirectoryForms.errors(refused, reader)))
                    .type(MediaType.TEXT_HTML)
                    .build();
        }
    }

    private List<MemberBox> boxes(Set<UUID> members) {
        return directory.practitionersOfPractice(currentActor.get().practiceId()).stream()
                .filter(p -> p.active() || members.contains(p.id()))
                .map(
                        p ->
                                new MemberBox(
                                        p.id().toString(),
                                        p.displayName(),
                                        members.contains(p.id())))
                .toList();
    }

    private PoolView own(UUID id) {
        return directory
                .pool(id)
                .filter(p -> p.practiceId().equals(currentActor.get().practiceId()))
                .orElseThrow(
                        () ->
                                DirectoryAdministration.refused(
                                        ErrorKind.NOT_FOUND,
                                        null,
                                        DirectoryMessages::error_not_found));
    }
}
