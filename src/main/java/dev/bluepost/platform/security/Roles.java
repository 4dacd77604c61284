package dev.bluepost.platform.security;

/** Role names as compile-time constants, for {@code @RolesAllowed}. */
public final class Roles {
    public static final String PATIENT = "PATIENT";
    public static final String PROXY = "PROXY";
    public static final String PROVIDER = "PROVIDER";
    public static final String FRONT_DESK = "FRONT_DESK";
    public static final String COMPLIANCE = "COMPLIANCE";
    public static final String ADMIN = "ADMIN";
    public static final String SYSTEM = "SYSTEM";
    public static final String PRACTICE_CLIENT = "PRACTICE_CLIENT";

    private Roles() {}
}
