package dev.bluepost.identity;

import dev.bluepost.directory.DirectoryService;
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
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A person's own browser sessions (OWASP ASVS 5.0 V7.4–7.5, ADR 0040): which browsers are signed in
 * to their login, since when and last active when (in the practice's time zone), the one in use
 * marked; they can sign out any other one, or all others at once. Only the login's own sessions are
 * listed or ended; a session id that is not theirs is answered as one that already ended.
 */
@Path("/account/sessions")
@RolesAllowed({
    Roles.PATIENT,
    Roles.PROXY,
    Roles.PROVIDER,
    Roles.FRONT_DESK,
    Roles.COMPLIANCE,
    Roles.ADMIN
})
@Produces(MediaType.TEXT_HTML)
public class SessionsPage {

    /** A session in words: no token, no address; its id only in the form that ends it. */
    public record Row(
            String id, String device, String signedIn, String lastActivity, boolean current) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance sessions(List<Row> rows, boolean others, String notice);
    }

    @Inject CurrentActor currentActor;

    @Inject SessionService sessions;

    @Inject DirectoryService directory;

    @Inject ReaderLanguage reader;

    @ConfigProperty(name = "bluepost.default-time-zone", defaultValue = "America/New_York")
    ZoneId defaultZone;

    @GET
    public TemplateInstance list(
            @QueryParam("ended") String ended, @QueryParam("others") String others) {
        AccountMessages m = reader.messages(AccountMessages.class);
        String notice = null;
        if ("gone".equals(ended)) {
            notice = m.sessions_gone();
        } else if ("1".equals(ended)) {
            notice = m.sessions_ended_one();
        } else if (others != null && others.matches("[0-9]{1,4}")) {
            notice = m.sessions_ended_many(Integer.parseInt(others));
        }
        Actor actor = currentActor.get();
        UUID current = currentActor.sessionId();
        ZoneId zone =
                actor.practiceId() == null
                        ? defaultZone
                        : directory
                                .practice(actor.practiceId())
                                .map(p -> p.zone())
                                .orElse(defaultZone);
        PracticeTimeFormat time = PracticeTimeFormat.of(zone, reader.locale());
        List<Row> rows =
                sessions.activeOf(actor.userId()).stream()
                        .map(
                                s ->
                                        new Row(
                                                s.id().toString(),
                                                UserAgents.describe(s.userAgent(), m),
                                                time.when(s.createdAt()),
                                                time.when(s.lastSeenAt()),
                                                s.id().equals(current)))
                        // the session in use first
                        .sorted((a, b) -> Boolean.compare(b.current(), a.current()))
                        .toList();
        return Templates.sessions(rows, rows.stream().anyMatch(r -> !r.current()), notice);
    }

    /** Signs out one other session of the person's own (the one in use is ended with Sign out). */
    @POST
    @Path("end")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response end(@FormParam("session") String session) {
        Actor actor = currentActor.get();
        UUID id = parse(session);
        boolean ended =
                id != null
                        && !id.equals(currentActor.sessionId())
                        && sessions.endOneOf(actor.userId(), id, "ended-by-user");
        return Response.seeOther(URI.create("/account/sessions?ended=" + (ended ? "1" : "gone")))
                .build();
    }

    /** Signs out every other session of the person's own. */
    @POST
    @Path("end-others")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response endOthers() {
        int ended =
                sessions.endAllOfExcept(
                        currentActor.get().userId(), currentActor.sessionId(), "ended-by-user");
        return Response.seeOther(URI.create("/account/sessions?others=" + ended)).build();
    }

    private static UUID parse(String id) {
        try {
            return id == null ? null : UUID.fromString(id.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
