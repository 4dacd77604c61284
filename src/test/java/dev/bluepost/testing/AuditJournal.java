package dev.bluepost.testing;

import dev.bluepost.audit.AuditChainer;
import io.quarkus.arc.Arc;

/**
 * For tests that read {@code audit_event} with their own SQL: links every entry journaled so far
 * into the chain first, as the application's own readers do (docs/adr/0032-message-path-under-load.md).
 */
public final class AuditJournal {

    private AuditJournal() {}

    public static void settle() {
        Arc.container().instance(AuditChainer.class).get().catchUp();
    }
}
