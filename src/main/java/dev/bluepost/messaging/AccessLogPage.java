package dev.bluepost.messaging;

import dev.bluepost.audit.AuditLog;
import dev.bluepost.audit.AuditLog.Access;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.messaging.MessageViews.ThreadSummary;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * "Who opened my messages": for the patient (or the proxy acting for them), the practice's staff
 * and connected systems that opened the patient's threads or downloaded their files, newest first,
 * read from the audit log. Only the caller's own patient's entries; a proxy sees only the threads
 * a proxy may see (not those the patient marked sensitive).
 */
@Path("/patient/access-log")
@RolesAllowed({Roles.PATIENT, Roles.PROXY})
@Produces(MediaType.TEXT_HTML)
public class AccessLogPage {

    static final int LIMIT = 200;

    /** One opening as shown: when, who (name and role), what (the thread's subject, linked). */
    public record Opened(String when, String who, String role, String what, String threadId, boolean download) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance accessLog(String patientName, boolean proxy, List<Opened> entries, int limit);
    }

    @Inject
    CurrentActor currentActor;

    @Inject
    AuditLog log;

    @Inject
    MessagingService messaging;

    @Inject
    DirectoryService directory;

    @Inject
    ThreadPresenter format;

    @GET
    public TemplateInstance accessLog() {
        Actor actor = currentActor.get();
        if (actor.patientId() == null) {
            throw BluepostException.forbidden("Choose the patient you are acting for first (Switch patient).");
        }
        Map<UUID, ThreadSummary> threads = messaging.threadsOfPatient(actor.patientId(), actor).stream()
                .collect(Collectors.toMap(ThreadSummary::id, Function.identity()));
        List<Opened> entries = new ArrayList<>();
        for (Access access : log.accessesToPatient(actor.patientId(), LIMIT)) {
            Optional<UUID> threadId = "Thread".equals(access.resourceType())
                    ? dev.bluepost.platform.Ids.parse(access.resourceId())
                    : dev.bluepost.platform.Ids.parse(access.resourceId()).flatMap(messaging::threadOfAttachment);
            ThreadSummary thread = threadId.map(threads::get).orElse(null);
            if (thread == null) {
                continue; // a thread the caller may not see (a proxy and a sensitive thread), or one no longer there
            }
            entries.add(new Opened(format.when(access.occurredAt(), thread.practiceId()),
                    access.system() ? "Connected record system" : access.actorName() == null ? "A staff member" : access.actorName(),
                    access.system() ? "system" : roles(access.actorRoles()), thread.topic(), thread.id().toString(),
                    "DOWNLOAD".equals(access.action())));
        }
        String patientName = directory.patient(actor.patientId()).map(p -> p.displayName()).orElse("");
        return Templates.accessLog(patientName, actor.relatedPersonId() != null, entries, LIMIT);
    }

    private static String roles(String roles) {
        if (roles == null) {
            return "";
        }
        return Arrays.stream(roles.split(",")).map(role -> switch (role) {
            case "PROVIDER" -> "clinician";
            case "FRONT_DESK" -> "front desk";
            case "COMPLIANCE" -> "compliance officer";
            case "ADMIN" -> "practice administrator";
            default -> role.toLowerCase(java.util.Locale.ROOT);
        }).collect(Collectors.joining(", "));
    }
}
