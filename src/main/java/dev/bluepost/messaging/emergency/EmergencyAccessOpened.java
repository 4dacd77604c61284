package dev.bluepost.messaging.emergency;

import java.util.UUID;

/**
 * Fired (a CDI event, in the granting transaction) when a clinician opens emergency access, so the
 * practice's compliance officers are told. Ids only.
 */
public record EmergencyAccessOpened(UUID emergencyAccessId, UUID practiceId) {}
