package dev.bluepost.measurement;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.i18n.PracticeTimeFormat;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Online access for the practice's patients, for the front desk and providers: who has a portal
 * account, and the form that records that a patient who opted out was given their credentials and
 * the instructions to access their information later (docs/measures.md §5.1 "Opt-out", §10 row 25).
 */
@Path("/staff/online-access")
@RolesAllowed({Roles.FRONT_DESK, Roles.PROVIDER})
@Produces(MediaType.TEXT_HTML)
public class OnlineAccessPage {

    private static final int SHOWN = 200;

    /**
     * One patient row: their latest online-access grant, if any, in the reader's words; {@code portal}
     * when their portal account was activated (then there is nobody to invite, ADR 0041).
     */
    public record Row(UUID id, String name, String birthDate, String access, boolean portal) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance access(
                List<Row> patients, String query, int total, boolean truncated, String recorded);
    }

    @Inject CurrentActor currentActor;

    @Inject DirectoryService directory;

    @Inject PatientAccessService access;

    @Inject ReaderLanguage reader;

    @GET
    public TemplateInstance page(
            @QueryParam("q") String query, @QueryParam("recorded") String recorded) {
        Actor actor = currentActor.get();
        UUID practice = practice(actor);
        ZoneId zone = directory.zoneOf(practice);
        String q = query == null ? "" : query.strip();
        List<PatientView> patients =
                directory.patientsOfPractice(practice).stream()
                        .filter(p -> p.active() && !p.testPatient() && p.replacedById() == null)
                        .filter(
                                p ->
                                        q.isEmpty()
                                                || p.displayName()
                                                        .toLowerCase(Locale.ROOT)
                                                        .contains(q.toLowerCase(Locale.ROOT)))
                        .sorted(
                                Comparator.comparing(
                                                PatientView::displayName,
                                                String.CASE_INSENSITIVE_ORDER)
                                        .thenComparing(PatientView::id))
                        .toList();
        OnlineAccessMessages words = reader.messages(OnlineAccessMessages.class);
        PracticeTimeFormat time = PracticeTimeFormat.of(zone, reader.locale());
        List<Row> rows =
                patients.stream()
                        .limit(SHOWN)
                        .map(
                                p -> {
                                    List<PatientAccessService.AccessGrant> grants =
                                            access.accessOf(p.id());
                                    return new Row(
                                            p.id(),
                                            p.displayName(),
                                            time.day(p.birthDate()),
                                            grants.stream()
                                                    .findFirst()
                                                    .map(
                                                            g ->
                                                                    label(
                                                                            g.kind(),
                                                                            time.when(
                                                                                    g.grantedAt()),
                                                                            words))
                                                    .orElse(words.no_access()),
                                            grants.stream()
                                                    .anyMatch(
                                                            g ->
                                                                    "ACCOUNT_ACTIVATED"
                                                                            .equals(g.kind())));
                                })
                        .toList();
        String recordedName =
                Ids.parse(recorded)
                        .flatMap(directory::patient)
                        .filter(p -> practice.equals(p.practiceId()))
                        .map(PatientView::displayName)
                        .orElse(null);
        return Templates.access(rows, q, patients.size(), patients.size() > SHOWN, recordedName);
    }

    /** Records that the patient was given their credentials and instructions (audited, UTC time from the clock). */
    @POST
    @Path("{patient}/credentials-given")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response credentialsGiven(@PathParam("patient") String patient) {
        Actor actor = currentActor.get();
        practice(actor);
        UUID id =
                Ids.parse(patient)
                        .orElseThrow(() -> BluepostException.notFound("Patient", patient));
        access.credentialsGiven(actor, id);
        return Response.seeOther(URI.create("/staff/online-access?recorded=" + id)).build();
    }

    private static String label(String kind, String when, OnlineAccessMessages words) {
        return "CREDENTIALS_GIVEN".equals(kind)
                ? words.kind_credentials(when)
                : words.kind_portal(when);
    }

    private static UUID practice(Actor actor) {
        if (actor.practiceId() == null) {
            throw BluepostException.said(
                    ErrorKind.FORBIDDEN,
                    OnlineAccessMessages.class,
                    OnlineAccessMessages::error_no_practice);
        }
        return actor.practiceId();
    }
}
