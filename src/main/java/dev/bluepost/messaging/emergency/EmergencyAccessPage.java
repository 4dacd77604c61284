package dev.bluepost.messaging.emergency;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.messaging.emergency.EmergencyAccessService.EmergencyAccessView;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.i18n.PracticeTimeFormat;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.platform.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Emergency ("break-glass") access pages (ADR 0026): the clinician's form on a restricted thread,
 * and the compliance officer's review of every access of the practice.
 */
@Path("/compliance/emergency-access")
@RolesAllowed(Roles.COMPLIANCE)
@Produces(MediaType.TEXT_HTML)
public class EmergencyAccessPage {

    /** One access on the review page, with its times in the practice's zone. */
    public record Row(EmergencyAccessView access, String granted, String expires) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance restricted(
                String threadId,
                String patientName,
                boolean clinician,
                List<EmergencyReason> reasons,
                String error);

        static native TemplateInstance review(
                List<Row> rows, String from, String to, long unreviewed, String saved);
    }

    @Inject CurrentActor currentActor;

    @Inject EmergencyAccessService emergencyAccess;

    @Inject DirectoryService directory;

    @Inject ReaderLanguage language;

    @Inject Clock clock;

    /**
     * The page a staff member gets instead of a restricted thread: a clinician may open emergency
     * access from it (the console's {@code POST /staff/threads/{id}/emergency-access}); others are
     * told to ask the care team. {@code status} is 403 for the restricted thread, or the status of
     * the refused attempt to open it.
     */
    public static Response restrictedPage(
            int status, UUID threadId, String patientName, Actor actor, String error) {
        return Response.status(status)
                .entity(
                        Templates.restricted(
                                threadId.toString(),
                                patientName,
                                actor.has(Role.PROVIDER),
                                Arrays.asList(EmergencyReason.values()),
                                error))
                .type(MediaType.TEXT_HTML_TYPE)
                .build();
    }

    @GET
    public TemplateInstance review(
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("saved") String saved) {
        Actor actor = currentActor.get();
        ZoneId zone =
                directory.practice(actor.practiceId()).map(p -> p.zone()).orElse(ZoneId.of("UTC"));
        LocalDate today = LocalDate.now(clock.withZone(zone));
        LocalDate first = day(from, today.minusDays(30), "from");
        LocalDate last = day(to, today, "to");
        if (last.isBefore(first)) {
            throw EmergencyAccessService.said(
                            ErrorKind.MALFORMED, EmergencyAccessMessages::error_period_backwards)
                    .about("to");
        }
        PracticeTimeFormat time = PracticeTimeFormat.of(zone, language.locale());
        List<Row> rows =
                emergencyAccess.ofPractice(first, last, actor).stream()
                        .map(a -> new Row(a, time.when(a.grantedAt()), time.when(a.expiresAt())))
                        .toList();
        return Templates.review(
                rows,
                first.toString(),
                last.toString(),
                emergencyAccess.unreviewed(actor),
                saved == null ? null : saved.isEmpty() ? "saved" : saved);
    }

    @POST
    @Path("{id}/review")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reviewed(
            @PathParam("id") String id,
            @FormParam("outcome") String outcome,
            @FormParam("from") String from,
            @FormParam("to") String to) {
        UUID accessId =
                Ids.parse(id).orElseThrow(() -> BluepostException.notFound("EmergencyAccess", id));
        emergencyAccess.review(accessId, outcome, currentActor.get());
        StringBuilder back =
                new StringBuilder("/compliance/emergency-access?saved=").append(outcome);
        if (from != null && !from.isBlank() && to != null && !to.isBlank()) {
            back.append("&from=")
                    .append(
                            URLEncoder.encode(
                                    day(from, null, "from").toString(), StandardCharsets.UTF_8))
                    .append("&to=")
                    .append(
                            URLEncoder.encode(
                                    day(to, null, "to").toString(), StandardCharsets.UTF_8));
        }
        return Response.seeOther(URI.create(back.toString())).build();
    }

    /** A date field's name ({@code from} or {@code to}) in the refusal's language. */
    private static String field(String name, EmergencyAccessMessages m) {
        return "from".equals(name) ? m.field_from() : m.field_to();
    }

    private static LocalDate day(String text, LocalDate otherwise, String name) {
        if (text == null || text.isBlank()) {
            if (otherwise == null) {
                throw EmergencyAccessService.said(
                                ErrorKind.MALFORMED, m -> m.error_date_missing(field(name, m)))
                        .about(name);
            }
            return otherwise;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw EmergencyAccessService.said(
                            ErrorKind.MALFORMED, m -> m.error_date_format(field(name, m)))
                    .about(name);
        }
    }
}
