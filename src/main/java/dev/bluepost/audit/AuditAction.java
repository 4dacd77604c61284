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
    INTEGRITY_FAILURE
}
