package dev.bluepost.platform.security;

/** The roles of Bluepost. Use the {@link Roles} string constants in security annotations. */
public enum Role {
    PATIENT, PROXY, PROVIDER, FRONT_DESK, COMPLIANCE, ADMIN,
    /** An integrator's system client (OAuth2 client credentials); no person behind it. */
    SYSTEM;

    public boolean isStaff() {
        return this == PROVIDER || this == FRONT_DESK || this == COMPLIANCE || this == ADMIN;
    }
}
