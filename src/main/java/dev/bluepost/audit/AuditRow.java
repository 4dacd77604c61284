package dev.bluepost.audit;

import dev.bluepost.crypto.Digests;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * One row of {@code audit_event}, and its canonical serialization (version 1), the input of its
 * hash. The serialization is one {@code name=value} line per column in a fixed order, a null as
 * an empty value (no column may hold an empty string), times in UTC with six fraction digits:
 *
 * <pre>
 * bluepost-audit-v1
 * sequence_number=42
 * occurred_at=2026-11-23T14:05:12.204311Z
 * actor_user_id=…            (lowercase UUIDs)
 * actor_client_id=
 * actor_roles=FRONT_DESK,PROVIDER
 * on_behalf_of_patient_id=
 * action=READ
 * resource_type=Thread
 * resource_id=…
 * patient_id=…
 * practice_id=…
 * outcome=success
 * reason_code=
 * source_ip=127.0.0.1
 * request_id=…
 * previous_hash=…            (64 lowercase hex digits; 64 zeros before the first entry)
 * </pre>
 *
 * Every line ends with {@code \n}; the hash is the lowercase hex SHA-256 of the UTF-8 bytes. The
 * column checks of the table keep line breaks out of every value, so the form is unambiguous, and
 * it can be recomputed in SQL (docs/security.md).
 */
record AuditRow(
        long sequenceNumber,
        Instant occurredAt,
        UUID actorUserId,
        String actorClientId,
        String actorRoles,
        UUID onBehalfOfPatientId,
        String action,
        String resourceType,
        String resourceId,
        UUID patientId,
        UUID practiceId,
        String outcome,
        String reasonCode,
        String sourceIp,
        String requestId,
        String previousHash,
        String hash) {

    static final String GENESIS = "0".repeat(64);
    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** This (not yet linked) row as the entry after {@code previousHash} at {@code sequence}, with its hash. */
    AuditRow link(long sequence, String previous) {
        AuditRow linked = at(sequence, previous, null);
        return linked.at(sequence, previous, linked.computeHash());
    }

    /** The hash of this row's content as if it stood at {@code sequence} (for diagnosing moved entries). */
    String computeHashAt(long sequence) {
        return at(sequence, previousHash, null).computeHash();
    }

    /** This row's content at {@code sequence} after {@code previous}, with {@code hash}. */
    private AuditRow at(long sequence, String previous, String hash) {
        return new AuditRow(
                sequence,
                occurredAt,
                actorUserId,
                actorClientId,
                actorRoles,
                onBehalfOfPatientId,
                action,
                resourceType,
                resourceId,
                patientId,
                practiceId,
                outcome,
                reasonCode,
                sourceIp,
                requestId,
                previous,
                hash);
    }

    /** The same event by the same actor (the time, address and request aside). */
    boolean sameEvent(AuditRow other) {
        return action.equals(other.action)
                && java.util.Objects.equals(resourceType, other.resourceType)
                && java.util.Objects.equals(resourceId, other.resourceId)
                && java.util.Objects.equals(patientId, other.patientId)
                && outcome.equals(other.outcome)
                && java.util.Objects.equals(actorUserId, other.actorUserId)
                && java.util.Objects.equals(actorClientId, other.actorClientId);
    }

    String computeHash() {
        return Digests.sha256Hex(canonical());
    }

    boolean hashMatches() {
        return computeHash().equals(hash);
    }

    String canonical() {
        return "bluepost-audit-v1\n"
                + line("sequence_number", sequenceNumber)
                + line("occurred_at", TIME.format(occurredAt))
                + line("actor_user_id", actorUserId)
                + line("actor_client_id", actorClientId)
                + line("actor_roles", actorRoles)
                + line("on_behalf_of_patient_id", onBehalfOfPatientId)
                + line("action", action)
                + line("resource_type", resourceType)
                + line("resource_id", resourceId)
                + line("patient_id", patientId)
                + line("practice_id", practiceId)
                + line("outcome", outcome)
                + line("reason_code", reasonCode)
                + line("source_ip", sourceIp)
                + line("request_id", requestId)
                + line("previous_hash", previousHash);
    }

    private static String line(String name, Object value) {
        return name + "=" + (value == null ? "" : value.toString()) + "\n";
    }
}
