package dev.bluepost.audit;

import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.errors.RequestRefused;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.web.ClientAddress;
import dev.bluepost.platform.web.RequestIds;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.BlockingOperationControl;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Refused access to patient information, recorded in one place (ADR 0030): every 401, 403 and
 * 404-for-authorization answer of a patient-data endpoint (the patient and staff pages, the FHIR
 * API, the compliance pages), as announced by the exception mappers, becomes an audit entry with
 * outcome failure: who asked (or nobody, when unauthenticated), for which resource (type and id
 * from the path), whose patient and which practice it belongs to, from where, and why
 * ({@code access-denied} or {@code unauthenticated}).
 *
 * <p>A 404 is a refusal when the resource exists (the caller may not know it: a record of another
 * patient or practice is answered as unknown); a 404 for something that does not exist is not
 * recorded. A request whose service already recorded its refusal (thread reads, see
 * {@link RequestRefusals}) is not recorded twice.
 */
@ApplicationScoped
class RefusedAccessAudit {

    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z]{0,63}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** The page paths' collections whose next segment is a record id, and the record's type in the audit log. */
    private static final Map<String, String> COLLECTIONS =
            Map.of(
                    "threads",
                    "Thread",
                    "attachments",
                    "Attachment",
                    "messages",
                    "Communication",
                    "documents",
                    "DocumentReference",
                    "items",
                    "TriageItem",
                    "drafts",
                    "Draft",
                    "online-access",
                    "Patient",
                    "ep",
                    "Practitioner",
                    "emergency-access",
                    "EmergencyAccess");

    /** Where patient information is served. */
    private static final List<String> ROOTS = List.of("patient", "staff", "fhir", "compliance");

    /** The owner of a record: its patient (if any) and practice, read by primary key; the SQL names are constants. */
    private static final Map<String, String> OWNERS =
            Map.of(
                    "Thread", "select patient_id, practice_id from message_thread where id = :id",
                    "Communication", "select patient_id, practice_id from message where id = :id",
                    "Attachment",
                            "select t.patient_id, t.practice_id from message_attachment a join message_thread t on t.id = a.thread_id "
                                    + "where a.id = :id",
                    "Binary",
                            "select t.patient_id, t.practice_id from message_attachment a join message_thread t on t.id = a.thread_id "
                                    + "where a.id = :id",
                    "DocumentReference",
                            "select patient_id, practice_id from visit_document where id = :id",
                    "TriageItem", "select patient_id, practice_id from triage_item where id = :id",
                    "Draft",
                            "select d.patient_id, p.practice_id from message_draft d join patient p on p.id = d.patient_id where d.id = :id",
                    "Patient", "select id, practice_id from patient where id = :id",
                    "EmergencyAccess",
                            "select patient_id, practice_id from emergency_access where id = :id");

    /** What was asked for: the audit action, and the resource named by the path (type and id, each may be null). */
    record Target(AuditAction action, String type, String id) {}

    private record Owner(UUID patientId, UUID practiceId) {}

    private final AuditRecorder audit;
    private final EntityManager em;

    RefusedAccessAudit(AuditRecorder audit, EntityManager em) {
        this.audit = audit;
        this.em = em;
    }

    void onRefused(@Observes RequestRefused refused) {
        Optional<Target> target = target(refused.method(), refused.path());
        if (target.isEmpty() || AuditRecorder.refusalRecordedInThisRequest()) {
            return;
        }
        Actor actor = AuditRecorder.currentActor().orElse(null);
        String sourceIp = ClientAddress.current().orElse(null);
        String requestId = RequestIds.current();
        Runnable record = () -> record(refused.kind(), target.get(), actor, sourceIp, requestId);
        if (BlockingOperationControl.isBlockingAllowed()) {
            record.run();
        } else {
            // refused before the endpoint was dispatched to a worker (e.g. by a role check on the
            // I/O thread)
            Infrastructure.getDefaultWorkerPool().execute(record);
        }
    }

    private void record(
            ErrorKind kind, Target target, Actor actor, String sourceIp, String requestId) {
        try {
            Optional<Owner> owner = owner(target);
            if (kind == ErrorKind.NOT_FOUND && owner.isEmpty()) {
                return; // nothing by that id: not found, not refused
            }
            AuditEntry entry =
                    AuditEntry.of(target.action())
                            .on(target.type(), target.id())
                            .patient(owner.map(Owner::patientId).orElse(null))
                            .practice(owner.map(Owner::practiceId).orElse(null))
                            .failure(
                                    kind == ErrorKind.UNAUTHENTICATED
                                            ? "unauthenticated"
                                            : AuditRecorder.ACCESS_DENIED);
            audit.recordIndependently(actor, entry, sourceIp, requestId);
        } catch (RuntimeException e) {
            Log.errorf(
                    "requestId=%s refused access not recorded type=%s id=%s cause=%s",
                    requestId, target.type(), target.id(), e.getClass().getName());
        }
    }

    private Optional<Owner> owner(Target target) {
        String sql = target.type() == null ? null : OWNERS.get(target.type());
        UUID id = uuid(target.id());
        if (sql == null || id == null) {
            return Optional.empty();
        }
        return QuarkusTransaction.requiringNew()
                .call(
                        () -> {
                            @SuppressWarnings("unchecked")
                            List<Object[]> rows =
                                    em.createNativeQuery(sql)
                                            .setParameter("id", id)
                                            .getResultList();
                            return rows.stream()
                                    .findFirst()
                                    .map(r -> new Owner((UUID) r[0], (UUID) r[1]));
                        });
    }

    /**
     * The patient-data request a path stands for, or empty when the path serves no patient
     * information. FHIR paths name the resource as {@code /fhir/Type/id}; page paths as
     * {@code …/collection/id}, the innermost one counting ({@code /patient/threads/t/attachments/a} is the attachment).
     */
    static Optional<Target> target(String method, String path) {
        if (path == null) {
            return Optional.empty();
        }
        String[] segments =
                java.util.Arrays.stream(path.split("/"))
                        .filter(s -> !s.isEmpty())
                        .toArray(String[]::new);
        if (segments.length == 0
                || !ROOTS.contains(segments[0])
                || (segments[0].equals("fhir")
                        && segments.length > 1
                        && segments[1].equals("metadata"))) {
            return Optional.empty();
        }
        String type = null;
        String id = null;
        if (segments[0].equals("fhir")) {
            if (segments.length > 1 && TYPE.matcher(segments[1]).matches()) {
                type = segments[1];
                if (segments.length > 2 && ID.matcher(segments[2]).matches()) {
                    id = segments[2];
                }
            }
        } else {
            for (int i = 0; i + 1 < segments.length; i++) {
                String collection = COLLECTIONS.get(segments[i]);
                if (collection != null && ID.matcher(segments[i + 1]).matches()) {
                    type = collection;
                    id = segments[i + 1];
                }
            }
        }
        boolean fhir = segments[0].equals("fhir");
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        boolean search =
                fhir
                        && type != null
                        && id == null
                        && (read || segments[segments.length - 1].equals("_search"));
        AuditAction action =
                search
                        ? AuditAction.SEARCH
                        : !read
                                ? (fhir && id == null && "POST".equals(method)
                                        ? AuditAction.CREATE
                                        : AuditAction.UPDATE)
                                : "Attachment".equals(type)
                                                || "Binary".equals(type)
                                                || path.endsWith("/download")
                                        ? AuditAction.DOWNLOAD
                                        : AuditAction.READ;
        return Optional.of(new Target(action, type, id));
    }

    private static UUID uuid(String id) {
        if (id == null || id.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
