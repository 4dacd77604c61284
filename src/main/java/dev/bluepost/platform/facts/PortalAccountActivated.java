package dev.bluepost.platform.facts;

import java.util.UUID;

/**
 * A patient's portal account (login) was activated: online access given to the patient
 * (docs/measures.md, Patient Electronic Access). {@code loginId} keys the fact, so announcing the
 * same activation twice records it once.
 */
public record PortalAccountActivated(UUID loginId, UUID patientId) {}
