package dev.bluepost.platform.security;

import dev.bluepost.platform.i18n.Language;

/** The roles of Bluepost. Use the {@link Roles} string constants in security annotations. */
public enum Role {
    PATIENT,
    PROXY,
    PROVIDER,
    FRONT_DESK,
    COMPLIANCE,
    ADMIN,
    /** The operator's platform-wide system client (OAuth2 client credentials); no person behind it; every practice. */
    SYSTEM,
    /**
     * A practice's backend client (SMART Backend Services: a signed JWT assertion); no person behind
     * it; sees only its own practice's data ({@link Actor#practiceId()}).
     */
    PRACTICE_CLIENT;

    /** The role in the words a practice uses ("Front desk"), in a reader's language: never the code name. */
    public String inWords(Language language) {
        RoleMessages m = language.messages(RoleMessages.class);
        return switch (this) {
            case PATIENT -> m.patient();
            case PROXY -> m.proxy();
            case PROVIDER -> m.provider();
            case FRONT_DESK -> m.front_desk();
            case COMPLIANCE -> m.compliance();
            case ADMIN -> m.admin();
            case SYSTEM -> m.system();
            case PRACTICE_CLIENT -> m.practice_client();
        };
    }

    /** Roles as they are stored with a record ("PROVIDER,FRONT_DESK"), in words ("Provider, Front desk"). */
    public static String inWords(String storedRoles, Language language) {
        if (storedRoles == null || storedRoles.isBlank()) {
            return "";
        }
        return java.util.Arrays.stream(storedRoles.strip().split("[ ,]+"))
                .map(
                        name ->
                                java.util.Arrays.stream(values())
                                        .filter(r -> r.name().equals(name))
                                        .findFirst()
                                        .map(r -> r.inWords(language))
                                        .orElse(name))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    public boolean isStaff() {
        return this == PROVIDER || this == FRONT_DESK || this == COMPLIANCE || this == ADMIN;
    }
}
