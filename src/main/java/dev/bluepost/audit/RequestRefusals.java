package dev.bluepost.audit;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.RequestScoped;

/**
 * Whether this request already recorded its refusal (a service that checks visibility itself, like
 * the thread reads of messaging, records it with the thread and its patient): then
 * {@link RefusedAccessAudit} does not record it a second time.
 */
@RequestScoped
@Unremovable // looked up programmatically by AuditRecorder
class RequestRefusals {

    private boolean recorded;

    void markRecorded() {
        recorded = true;
    }

    boolean recorded() {
        return recorded;
    }
}
