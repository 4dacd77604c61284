package dev.bluepost.platform.security;

import java.util.Set;
import java.util.UUID;

/**
 * Who is calling: a person with a login, or a system client. Built once per request by the
 * identity feature and read through {@code CurrentActor}.
 *
 * @param userId             the login (null for a system client)
 * @param clientId           the OAuth2 client id (null for a person)
 * @param practiceId         the practice a staff member works for, or the practice of the patient
 *                           a patient or proxy acts for, or a practice client's practice; null for
 *                           the platform system client (all practices)
 * @param practitionerId     the Practitioner record of a provider or staff member
 * @param patientId          the patient whose data a PATIENT or PROXY may see: the patient themself,
 *                           or the patient a proxy currently acts for
 * @param relatedPersonId    for a PROXY, the RelatedPerson authorization used for {@code patientId}
 */
public record Actor(
        UUID userId,
        String clientId,
        Set<Role> roles,
        UUID practiceId,
        UUID practitionerId,
        UUID patientId,
        UUID relatedPersonId) {

    public static Actor system(String clientId) {
        return new Actor(null, clientId, Set.of(Role.SYSTEM), null, null, null, null);
    }

    /** A practice's backend client: no person, one practice. */
    public static Actor practiceClient(String clientId, UUID practiceId) {
        return new Actor(
                null,
                clientId,
                Set.of(Role.PRACTICE_CLIENT),
                java.util.Objects.requireNonNull(practiceId),
                null,
                null,
                null);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean isSystem() {
        return has(Role.SYSTEM);
    }

    /** A practice's backend client, limited to {@link #practiceId()}. */
    public boolean isPracticeClient() {
        return has(Role.PRACTICE_CLIENT);
    }

    public boolean isStaff() {
        return roles.stream().anyMatch(Role::isStaff);
    }

    /** A patient, or a proxy acting for one: sees only that patient's compartment. */
    public boolean isPatientSide() {
        return has(Role.PATIENT) || has(Role.PROXY);
    }

    /** For logs: an opaque id, never a name. */
    public String logId() {
        return userId != null ? "user:" + userId : "client:" + clientId;
    }
}
