package dev.bluepost.directory;

import dev.bluepost.directory.DirectoryAdministration.CehrtChange;
import dev.bluepost.directory.DirectoryAdministration.LocationForm;
import dev.bluepost.directory.DirectoryViews.LocationView;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.i18n.PracticeTimeFormat;
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
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The practice admin adds and edits locations: name, address, county, state and whether practitioners
 * have certified EHR technology (CEHRT) there, with the date it changed; the CEHRT history is shown (ADR 0042).
 */
@Path("/admin/locations")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.TEXT_HTML)
public class LocationsPage {

    /** What the form says (shown again when it is refused); {@code cehrtFrom} as typed (ISO date from the date input). */
    public record Form(
            String id,
            String name,
            String line,
            String city,
            String county,
            String state,
            String postalCode,
            boolean cehrt,
            String cehrtFrom) {
        static final Form EMPTY = new Form(null, "", "", "", "", "", "", true, "");
    }

    /** One change of the CEHRT history, in words. */
    public record HistoryRow(String equipped, String from, String recorded) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance locations(List<LocationView> locations, boolean saved);

        static native TemplateInstance location(
                Form form, FormErrors errors, List<HistoryRow> history);
    }

    @Inject CurrentActor currentActor;

    @Inject DirectoryService directory;

    @Inject DirectoryAdministration administration;

    @Inject ReaderLanguage reader;

    @Inject RoutingContext routing;

    @GET
    public TemplateInstance list() {
        return Templates.locations(
                directory.locationsOfPractice(currentActor.get().practiceId()),
                DirectoryForms.takeSaved(routing));
    }

    @GET
    @Path("new")
    public TemplateInstance newForm() {
        return Templates.location(Form.EMPTY, FormErrors.none(), List.of());
    }

    @GET
    @Path("{id}")
    public TemplateInstance edit(@PathParam("id") String id) {
        LocationView l = own(DirectoryForms.id(id));
        var resource = addressOf(l.id());
        return Templates.location(
                new Form(
                        l.id().toString(),
                        l.name() == null ? "" : l.name(),
                        resource[0],
                        resource[1],
                        nz(l.county()),
                        nz(l.state()),
                        resource[2],
                        l.cehrtEquipped(),
                        ""),
                FormErrors.none(),
                history(l.id()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(
            @FormParam("name") String name,
            @FormParam("line") String line,
            @FormParam("city") String city,
            @FormParam("county") String county,
            @FormParam("state") String state,
            @FormParam("postalCode") String postalCode,
            @FormParam("cehrt") String cehrt) {
        return save(
                null,
                new Form(
                        null,
                        name,
                        line,
                        city,
                        county,
                        state,
                        postalCode,
                        !"no".equals(cehrt),
                        ""));
    }

    @POST
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(
            @PathParam("id") String id,
            @FormParam("name") String name,
            @FormParam("line") String line,
            @FormParam("city") String city,
            @FormParam("county") String county,
            @FormParam("state") String state,
            @FormParam("postalCode") String postalCode,
            @FormParam("cehrt") String cehrt,
            @FormParam("cehrtFrom") String cehrtFrom) {
        UUID location = own(DirectoryForms.id(id)).id();
        return save(
                location,
                new Form(
                        location.toString(),
                        name,
                        line,
                        city,
                        county,
                        state,
                        postalCode,
                        !"no".equals(cehrt),
                        cehrtFrom == null ? "" : cehrtFrom.trim()));
    }

    private Response save(UUID id, Form form) {
        try {
            LocalDate from = null;
            if (!form.cehrtFrom().isEmpty()) {
                try {
                    from = LocalDate.parse(form.cehrtFrom());
                } catch (java.time.format.DateTimeParseException e) {
                    throw DirectoryAdministration.refused(
                            ErrorKind.BUSINESS_RULE,
                            "cehrtFrom",
                            DirectoryMessages::error_cehrt_date);
                }
            }
            administration.saveLocation(
                    currentActor.get(),
                    id,
                    new LocationForm(
                            form.name(),
                            form.line(),
                            form.city(),
                            form.county(),
                            form.state(),
                            form.postalCode(),
                            form.cehrt(),
                            from));
            return DirectoryForms.saved("/admin/locations");
        } catch (BluepostException refused) {
            return Response.status(refused.kind().status())
                    .entity(
                            Templates.location(
                                    form,
                                    DirectoryForms.errors(refused, reader),
                                    id == null ? List.of() : history(id)))
                    .type(MediaType.TEXT_HTML)
                    .build();
        }
    }

    private List<HistoryRow> history(UUID location) {
        DirectoryMessages words = reader.messages(DirectoryMessages.class);
        PracticeTimeFormat time =
                PracticeTimeFormat.of(
                        directory.zoneOf(currentActor.get().practiceId()), reader.locale());
        List<HistoryRow> rows =
                new java.util.ArrayList<>(
                        administration.cehrtHistory(location).stream()
                                .map(
                                        (CehrtChange c) ->
                                                new HistoryRow(
                                                        c.equipped()
                                                                ? words.cehrt_yes()
                                                                : words.cehrt_no(),
                                                        c.from()
                                                                        .equals(
                                                                                DirectoryAdministration
                                                                                        .BEGINNING)
                                                                ? words.since_always()
                                                                : time.day(c.from()),
                                                        time.when(c.recordedAt())))
                                .toList());
        java.util.Collections.reverse(rows); // the latest change first
        return rows;
    }

    /** Street line, city and ZIP code of the stored Location (the columns keep county and state only). */
    private String[] addressOf(UUID id) {
        return administration.address(id);
    }

    private LocationView own(UUID id) {
        return directory
                .location(id)
                .filter(l -> l.practiceId().equals(currentActor.get().practiceId()))
                .orElseThrow(
                        () ->
                                DirectoryAdministration.refused(
                                        ErrorKind.NOT_FOUND,
                                        null,
                                        DirectoryMessages::error_not_found));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
