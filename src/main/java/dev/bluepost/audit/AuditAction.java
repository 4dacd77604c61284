package dev.bluepost.audit;

/**
 * What an audit entry says happened. Stored by name, so new actions need no migration; a name, once
 * written, is never renamed (old entries keep it and their hashes cover it).
 */
public enum AuditAction {
    /** A person signed in, or a system client obtained a token. */
    LOGIN,
    /** A sign-in or token request was refused (reason: {@code invalid-credentials}, {@code account-locked}, …). */
    LOGIN_FAILED,
    /** A session ended: signed out, timed out after inactivity, or reached its absolute limit (see the reason). */
    LOGOUT,
    /** Information about a patient was shown or returned. */
    READ,
    /** A search returned results; one entry per patient whose information was in them. */
    SEARCH,
    CREATE,
    UPDATE,
    /** A message was retracted (the correction is a CREATE of its own). */
    RETRACT,
    EXPORT,
    DOWNLOAD,
    PRINT,
    /** Data keys were re-wrapped under a new key-encryption key. */
    KEY_ROTATION,
    /** Stored ciphertext, a digest or a wrapped key failed its integrity check. */
    INTEGRITY_FAILURE,
    /**
     * Roles were granted to or withdrawn from a login (reason {@code granted.<role>} / {@code withdrawn.<role>};
     * an admin's change of several at once is one entry, e.g. {@code granted.compliance.withdrawn.admin}).
     */
    ROLE_CHANGE,
    /** Emergency ("break-glass") access to a patient's threads was opened (reason: {@code break-glass}). */
    EMERGENCY_ACCESS,
    /**
     * An admin switched the recording of access to patient information on or off for their
     * practice (reason {@code enabled} / {@code disabled}); recorded whatever the switch says.
     */
    AUDIT_RECORDING,
    /**
     * A login was deactivated by a practice admin: its sessions and app tokens ended, sign-in refused
     * (ADR 0040).
     */
    DEACTIVATE,
    /** A deactivated login was made active again by a practice admin. */
    REACTIVATE,
    /**
     * A password reset: a link asked for or sent (reason {@code link-requested}, {@code link-sent-by-admin};
     * failures {@code unknown-address}, {@code rate-limited.address}, {@code rate-limited.client}) or used
     * (reason {@code password-reset}; failure {@code link-invalid}).
     */
    PASSWORD_RESET,
    /**
     * A patient or proxy sent the patient's health information to a third party they named (reason
     * {@code direct.sent}, {@code email.sent}, or the failure: {@code direct.relay-refused}, …); always recorded.
     */
    TRANSMIT,
    /** Something the actor had made was deleted at their request (a bulk export and its files). */
    DELETE;

    /** The actions about patient information, which a practice's admin may switch off (never the others). */
    public boolean switchable() {
        return switch (this) {
            case READ, SEARCH, CREATE, UPDATE, RETRACT, EXPORT, DOWNLOAD, PRINT -> true;
            default -> false;
        };
    }
}
