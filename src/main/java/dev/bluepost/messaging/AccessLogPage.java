package dev.bluepost.messaging;

import dev.bluepost.audit.AuditReader;
import dev.bluepost.audit.AuditReader.Access;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.messaging.MessageViews.ThreadSummary;
import dev.bluepost.messaging.emergency.EmergencyReason;
import dev.bluepost.platform.i18n.Language;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.platform.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
 *
 * <p>One row per visit: a person's openings of one conversation, each within {@link #VISIT_GAP} of
 * the next, are one row (the page reloads after every action, and each load is recorded), with what
 * they downloaded. A visit under emergency ("break-glass") access says so, with the reason given, and
 * so does the opening of the emergency access itself. Periods in which the practice had switched off
 * the recording of who opened messages are rows of their own: the list is not complete there.
 */
@Path("/patient/access-log")
@RolesAllowed({Roles.PATIENT, Roles.PROXY})
@Produces(MediaType.TEXT_HTML)
public class AccessLogPage {

    static final int LIMIT = 200;

    /** Openings of one conversation by one person no further apart than this are one visit. */
    static final Duration VISIT_GAP = Duration.ofMinutes(30);

    /**
     * One row as shown: a visit (when, who with their role, what: the thread's subject, linked; what
     * else they did; {@code emergency}: the emergency access it was under), the opening of emergency
     * access ({@code threadId} null), or a period in which the practice did not record openings
     * ({@code unrecorded}: the sentence saying so, nothing else).
     */
    public record Opened(
            String when,
            String who,
            String role,
            String what,
            String threadId,
            String did,
            String emergency,
            String unrecorded) {

        static Opened gap(String sentence) {
            return new Opened(null, null, null, null, null, null, null, sentence);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance accessLog(
                String patientName,
                boolean proxy,
                List<Opened> entries,
                int limit,
                boolean opened,
                boolean unrecorded);
    }

    @Inject CurrentActor currentActor;

    @Inject AuditReader log;

    @Inject MessageReading reading;

    @Inject DirectoryService directory;

    @Inject ThreadPresenter format;

    @Inject ReaderLanguage language;

    @GET
    public TemplateInstance accessLog() {
        Actor actor = currentActor.get();
        if (actor.patientId() == null) {
            throw MessageSending.choosePatientFirst();
        }
        boolean proxy = actor.relatedPersonId() != null;
        PatientMessages words = language.messages(PatientMessages.class);
        Map<UUID, ThreadSummary> threads =
                reading.threadsOfPatient(actor.patientId(), actor).stream()
                        .collect(Collectors.toMap(ThreadSummary::id, Function.identity()));
        List<Access> accesses = log.accessesToPatient(actor.patientId(), LIMIT);

        List<Dated> rows = new ArrayList<>();
        Map<String, Visit> current =
                new HashMap<>(); // person and thread → the visit the next (older) opening may join
        List<Visit> visits = new ArrayList<>();
        for (Access access : accesses) { // newest first
            if ("EMERGENCY_ACCESS".equals(access.action())) {
                if (!proxy) { // it opens the restricted threads, which a proxy never sees
                    rows.add(
                            new Dated(
                                    access.occurredAt(),
                                    new Opened(
                                            format.when(access.occurredAt(), actor.practiceId()),
                                            who(access, words),
                                            role(access, words, language.language()),
                                            words.access_opened_emergency(),
                                            null,
                                            null,
                                            words.access_emergency(reason(access, words)),
                                            null)));
                }
                continue;
            }
            Optional<UUID> threadId =
                    "Thread".equals(access.resourceType())
                            ? dev.bluepost.platform.Ids.parse(access.resourceId())
                            : dev.bluepost.platform.Ids.parse(access.resourceId())
                                    .flatMap(reading::threadOfAttachment);
            ThreadSummary thread = threadId.map(threads::get).orElse(null);
            if (thread == null) {
                continue; // a thread the caller may not see (a proxy and a sensitive thread), or
                // one no longer there
            }
            String key = access.actor() + "|" + thread.id();
            Visit visit = current.get(key);
            if (visit == null || access.occurredAt().isBefore(visit.first.minus(VISIT_GAP))) {
                visit = new Visit(access, thread);
                visits.add(visit);
                current.put(key, visit);
            }
            visit.add(access);
        }
        for (Visit visit : visits) {
            rows.add(
                    new Dated(
                            visit.last,
                            new Opened(
                                    format.between(
                                            visit.first, visit.last, visit.thread.practiceId()),
                                    who(visit.latest, words),
                                    role(visit.latest, words, language.language()),
                                    visit.thread.topic() == null
                                            ? format.category(visit.thread.category())
                                            : visit.thread.topic(),
                                    visit.thread.id().toString(),
                                    visit.did(words),
                                    visit.emergency
                                            ? emergencyReason(visit, accesses, words)
                                            : null,
                                    null)));
        }
        boolean opened = !rows.isEmpty();

        // openings are recorded only while the practice records them: say where the list cannot be
        // complete
        List<UUID> practices =
                threads.values().stream()
                        .map(ThreadSummary::practiceId)
                        .distinct()
                        .sorted()
                        .toList();
        boolean unrecorded = false;
        for (UUID practice : practices) {
            String who =
                    practices.size() == 1
                            ? words.access_the_practice()
                            : directory
                                    .practice(practice)
                                    .map(p -> p.name())
                                    .orElse(words.access_the_practice());
            for (AuditReader.UnrecordedPeriod period : log.unrecordedPeriods(practice)) {
                unrecorded = true;
                rows.add(
                        new Dated(
                                period.ongoing() ? Instant.MAX : period.to(),
                                Opened.gap(
                                        period.ongoing()
                                                ? words.access_unrecorded_since(
                                                        format.when(period.from(), practice), who)
                                                : words.access_unrecorded_between(
                                                        format.when(period.from(), practice),
                                                        format.when(period.to(), practice),
                                                        who))));
            }
        }
        rows.sort(
                Comparator.comparing(Dated::at)
                        .reversed()); // newest first; a stable sort keeps the log's order
        String patientName =
                directory.patient(actor.patientId()).map(p -> p.displayName()).orElse("");
        return Templates.accessLog(
                patientName,
                proxy,
                rows.stream().map(Dated::row).toList(),
                LIMIT,
                opened,
                unrecorded);
    }

    /** A row and the time it sorts by (a visit: its last opening; an unrecorded period: its end). */
    private record Dated(Instant at, Opened row) {}

    /** One person's openings of one conversation, none more than {@link #VISIT_GAP} after the one before. */
    private static final class Visit {
        final ThreadSummary thread;
        final Access latest;
        final Instant last;
        Instant first;
        int reads;
        int downloads;
        boolean emergency;

        Visit(Access latest, ThreadSummary thread) {
            this.thread = thread;
            this.latest = latest;
            this.last = latest.occurredAt();
            this.first = latest.occurredAt();
        }

        void add(Access access) {
            first = access.occurredAt();
            if ("DOWNLOAD".equals(access.action())) {
                downloads++;
            } else {
                reads++;
            }
            emergency |= access.underEmergencyAccess();
        }

        String did(PatientMessages words) {
            if (downloads == 0) {
                return null;
            }
            return reads == 0
                    ? words.access_downloaded(downloads)
                    : words.access_opened_downloaded(downloads);
        }
    }

    /**
     * "Under emergency access (reason)": the reason of the emergency access the visit was under, the
     * person's latest opening of one before the visit ended.
     */
    private String emergencyReason(Visit visit, List<Access> accesses, PatientMessages words) {
        return accesses.stream()
                .filter(
                        a ->
                                "EMERGENCY_ACCESS".equals(a.action())
                                        && a.actor() != null
                                        && a.actor().equals(visit.latest.actor())
                                        && !a.occurredAt().isAfter(visit.last))
                .findFirst() // newest first
                .map(a -> words.access_under_emergency_because(reason(a, words)))
                .orElse(words.access_under_emergency());
    }

    private String reason(Access access, PatientMessages words) {
        String code =
                access.reasonCode() == null
                        ? ""
                        : access.reasonCode()
                                .replaceFirst("^" + AuditRecorder.BREAK_GLASS + "\\.", "");
        return EmergencyReason.ofCode(code)
                .map(format::emergencyReason)
                .orElse(words.access_reason_not_recorded());
    }

    private static String who(Access access, PatientMessages words) {
        return access.system()
                ? words.access_system()
                : access.actorName() == null ? words.access_staff_member() : access.actorName();
    }

    private static String role(Access access, PatientMessages words, Language language) {
        return access.system()
                ? words.access_role_system()
                : Role.inWords(access.actorRoles(), language);
    }
}
