package dev.bluepost.audit.fhir;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.fhir.FhirInteractionLog;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** The FHIR core's interactions, recorded in the audit log in the caller's transaction. */
@ApplicationScoped
public class AuditedFhirInteractions implements FhirInteractionLog {

    private final AuditRecorder audit;

    public AuditedFhirInteractions(AuditRecorder audit) {
        this.audit = audit;
    }

    @Override
    public void record(
            Actor actor,
            Interaction interaction,
            String type,
            Object id,
            UUID patient,
            UUID practice) {
        audit.record(
                actor,
                AuditEntry.of(action(interaction))
                        .on(type, id)
                        .patient(patient)
                        .practice(practice));
    }

    static AuditAction action(Interaction interaction) {
        return switch (interaction) {
            case READ -> AuditAction.READ;
            case SEARCH -> AuditAction.SEARCH;
            case CREATE -> AuditAction.CREATE;
            case UPDATE -> AuditAction.UPDATE;
            case DELETE -> AuditAction.DELETE;
            case EXPORT -> AuditAction.EXPORT;
            case DOWNLOAD -> AuditAction.DOWNLOAD;
        };
    }
}
