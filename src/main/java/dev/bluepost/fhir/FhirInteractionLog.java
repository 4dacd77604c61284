package dev.bluepost.fhir;

import dev.bluepost.platform.security.Actor;
import java.util.UUID;

/**
 * Where the FHIR core records every interaction (reads, searches, writes, bulk exports), in the
 * interaction's transaction. The core owns this interface and the audit log implements it
 * ({@code audit.fhir.AuditedFhirInteractions}), so the FHIR core does not depend on {@code audit}
 * (as with {@code messaging.ReplyPromises}, ADR 0035).
 */
public interface FhirInteractionLog {

    /** What was done; each is recorded as the audit action of the same name. */
    enum Interaction {
        READ,
        SEARCH,
        CREATE,
        UPDATE,
        DELETE,
        EXPORT,
        DOWNLOAD
    }

    /**
     * Records that {@code actor} did {@code interaction} on the resource {@code type}/{@code id} (id null
     * for a search), about {@code patient} (or null), in {@code practice} (null: the actor's practice).
     */
    void record(
            Actor actor,
            Interaction interaction,
            String type,
            Object id,
            UUID patient,
            UUID practice);
}
