package dev.bluepost.directory;

import dev.bluepost.directory.DirectoryViews.PracticeView;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The practice's own settings: its name, the reply window and the time zone (chosen by its name in
 * words). Business hours and holidays stay with the triage rules ({@code /admin/triage#hours}).
 */
@Path("/admin/practice")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.TEXT_HTML)
public class PracticeSettingsPage {

    /** The time zones offered (the United States'); a practice's other zone is offered too. */
    static final List<String> ZONES =
            List.of(
                    "America/New_York",
                    "America/Chicago",
                    "America/Denver",
                    "America/Phoenix",
                    "America/Los_Angeles",
                    "America/Anchorage",
                    "Pacific/Honolulu",
                    "America/Puerto_Rico",
                    "Pacific/Guam");

    /** A time zone choice: its id (the form's value) and its name in words. */
    public record ZoneChoice(String value, String label) {}

    /** What the form says (shown again when it is refused). */
    public record Form(String name, String zone, String replyWindow) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance practice(
                Form form, List<ZoneChoice> zones, FormErrors errors, boolean saved);
    }

    @Inject CurrentActor currentActor;

    @Inject DirectoryService directory;

    @Inject DirectoryAdministration administration;

    @Inject ReaderLanguage reader;

    @Inject RoutingContext routing;

    @GET
    public TemplateInstance practice() {
        PracticeView p =
                directory
                        .practice(currentActor.get().practiceId())
                        .orElseThrow(
                                () ->
                                        DirectoryAdministration.refused(
                                                ErrorKind.NOT_FOUND,
                                                null,
                                                DirectoryMessages::error_not_found));
        return Templates.practice(
                new Form(
                        p.name(),
                        p.zone().getId(),
                        p.replyWindowDays() == null ? "" : p.replyWindowDays().toString()),
                zones(p.zone().getId()),
                FormErrors.none(),
                DirectoryForms.takeSaved(routing));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(
            @FormParam("name") String name,
            @FormParam("zone") String zone,
            @FormParam("replyWindow") String replyWindow) {
        Form form =
                new Form(
                        name == null ? "" : name,
                        zone == null ? "" : zone,
                        replyWindow == null ? "" : replyWindow.trim());
        try {
            Integer days = null;
            if (!form.replyWindow().isEmpty()) {
                try {
                    days = Integer.valueOf(form.replyWindow());
                } catch (NumberFormatException e) {
                    throw DirectoryAdministration.refused(
                            ErrorKind.BUSINESS_RULE,
                            "replyWindow",
                            DirectoryMessages::error_reply_window);
                }
            }
            administration.savePractice(currentActor.get(), name, zone, days);
            return DirectoryForms.saved("/admin/practice");
        } catch (BluepostException refused) {
            return Response.status(refused.kind().status())
                    .entity(
                            Templates.practice(
                                    form,
                                    zones(form.zone()),
                                    DirectoryForms.errors(refused, reader),
                                    false))
                    .type(MediaType.TEXT_HTML)
                    .build();
        }
    }

    private List<ZoneChoice> zones(String current) {
        List<String> ids = new ArrayList<>(ZONES);
        if (validZone(current) && !ids.contains(current)) {
            ids.add(current);
        }
        return ids.stream()
                .map(
                        id ->
                                new ZoneChoice(
                                        id, DirectoryPage.zoneName(ZoneId.of(id), reader.locale())))
                .toList();
    }

    private static boolean validZone(String id) {
        try {
            ZoneId.of(id);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
