package dev.bluepost.audit;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What happened, for {@link AuditRecorder#record}: an action on a resource (type and id, never
 * content), whose patient it concerned, and the outcome with a short reason code. The actor, time,
 * source address and request id are added by the service.
 *
 * <pre>{@code AuditEntry.of(AuditAction.READ).on("Thread", threadId).patient(patientId).practice(practiceId)}</pre>
 *
 * @param reasonCode lowercase code ({@code [a-z0-9][a-z0-9.-]*}, at most 64 characters), never free text
 */
public record AuditEntry(
        AuditAction action,
        String resourceType,
        String resourceId,
        UUID patientId,
        UUID practiceId,
        boolean success,
        String reasonCode) {

    private static final Pattern RESOURCE_TYPE = Pattern.compile("[A-Za-z]{1,64}");
    private static final Pattern RESOURCE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern REASON = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");

    public AuditEntry {
        Objects.requireNonNull(action, "action");
        require(resourceType, RESOURCE_TYPE, "resource type");
        require(resourceId, RESOURCE_ID, "resource id");
        require(reasonCode, REASON, "reason code");
    }

    public static AuditEntry of(AuditAction action) {
        return new AuditEntry(action, null, null, null, null, true, null);
    }

    /** The resource acted on; the id is written as text (a UUID, or a key id for KEY_ROTATION). */
    public AuditEntry on(String type, Object id) {
        return new AuditEntry(
                action,
                type,
                id == null ? null : id.toString(),
                patientId,
                practiceId,
                success,
                reasonCode);
    }

    /** The patient whose information it was. */
    public AuditEntry patient(UUID patient) {
        return new AuditEntry(
                action, resourceType, resourceId, patient, practiceId, success, reasonCode);
    }

    /** The practice the information belongs to (defaults to the actor's practice). */
    public AuditEntry practice(UUID practice) {
        return new AuditEntry(
                action, resourceType, resourceId, patientId, practice, success, reasonCode);
    }

    /** A failed attempt, with the reason as a code. */
    public AuditEntry failure(String reason) {
        return new AuditEntry(
                action, resourceType, resourceId, patientId, practiceId, false, reason);
    }

    /** A successful action with a qualifying code (e.g. LOGOUT because of {@code idle-timeout}). */
    public AuditEntry reason(String reason) {
        return new AuditEntry(
                action, resourceType, resourceId, patientId, practiceId, success, reason);
    }

    private static void require(String value, Pattern pattern, String what) {
        if (value != null && !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "an audit " + what + " must match " + pattern.pattern());
        }
    }
}
