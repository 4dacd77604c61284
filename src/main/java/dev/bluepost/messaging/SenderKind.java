package dev.bluepost.messaging;

/** Who sent a message, as the Meaningful Use measures distinguish senders (docs/measures.md §1). */
public enum SenderKind {
    /** The patient themself. */
    PATIENT,
    /** An authorized representative (RelatedPerson) on behalf of the patient. */
    PROXY,
    /** An eligible professional (a Practitioner with an NPI), in person or through an integrator. */
    EP,
    /** A staff member writing in the name of an EP. */
    STAFF_FOR_EP,
    /** A staff member (no NPI) writing for the practice. */
    STAFF,
    /** An automatic message (auto-reply) sent by a Device. */
    AUTOMATIC;

    public boolean isPatientSide() {
        return this == PATIENT || this == PROXY;
    }

    public boolean isCareTeam() {
        return this == EP || this == STAFF_FOR_EP || this == STAFF;
    }
}
