package dev.bluepost.platform.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code patient/…} scopes of a SMART-on-FHIR access token: per resource type, which of
 * create, read, update, delete and search it allows. Reads both SMART v2 ({@code patient/Communication.rs})
 * and v1 ({@code patient/Communication.read}, {@code .write}, {@code .*}) forms and {@code *} as the
 * type; writes the v2 form, one scope per type. Everything else in a scope string ({@code openid},
 * {@code launch/patient}, {@code user/…}, {@code system/…}, scopes with query parameters) grants nothing here.
 */
public final class SmartScopes {

    /** The SMART v2 permissions, in the order they are written. */
    public enum Permission {
        CREATE('c'),
        READ('r'),
        UPDATE('u'),
        DELETE('d'),
        SEARCH('s');

        private final char letter;

        Permission(char letter) {
            this.letter = letter;
        }

        public char letter() {
            return letter;
        }
    }

    public static final SmartScopes NONE = new SmartScopes(Map.of());

    private static final Pattern PATIENT_SCOPE =
            Pattern.compile("patient/([A-Z][A-Za-z]{0,63}|\\*)\\.([a-z*]+)");
    private static final Pattern V2 = Pattern.compile("c?r?u?d?s?");

    /** Type (or {@code *}) to its permissions; sorted, so {@link #toString()} is stable. */
    private final Map<String, Set<Permission>> byType;

    private SmartScopes(Map<String, Set<Permission>> byType) {
        TreeMap<String, Set<Permission>> copy = new TreeMap<>();
        byType.forEach(
                (type, permissions) -> {
                    if (!permissions.isEmpty()) {
                        copy.put(type, Set.copyOf(EnumSet.copyOf(permissions)));
                    }
                });
        this.byType = java.util.Collections.unmodifiableMap(copy);
    }

    /** Parses a space-separated scope string; null or blank is {@link #NONE}. */
    public static SmartScopes parse(String scope) {
        if (scope == null || scope.isBlank()) {
            return NONE;
        }
        Map<String, Set<Permission>> byType = new TreeMap<>();
        for (String token : scope.trim().split("\\s+")) {
            Matcher m = PATIENT_SCOPE.matcher(token);
            if (!m.matches()) {
                continue;
            }
            Set<Permission> permissions = permissions(m.group(2));
            if (!permissions.isEmpty()) {
                byType.computeIfAbsent(m.group(1), t -> EnumSet.noneOf(Permission.class))
                        .addAll(permissions);
            }
        }
        return new SmartScopes(byType);
    }

    private static Set<Permission> permissions(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "read":
                return EnumSet.of(Permission.READ, Permission.SEARCH);
            case "write":
                return EnumSet.of(Permission.CREATE, Permission.UPDATE, Permission.DELETE);
            case "*":
                return EnumSet.allOf(Permission.class);
            default:
                if (text.isEmpty() || !V2.matcher(text).matches()) {
                    return EnumSet.noneOf(Permission.class);
                }
                EnumSet<Permission> permissions = EnumSet.noneOf(Permission.class);
                for (Permission p : Permission.values()) {
                    if (text.indexOf(p.letter) >= 0) {
                        permissions.add(p);
                    }
                }
                return permissions;
        }
    }

    /** Whether these scopes allow {@code permission} on {@code type} (directly or through {@code *}). */
    public boolean allows(String type, Permission permission) {
        return byType.getOrDefault(type, Set.of()).contains(permission)
                || byType.getOrDefault("*", Set.of()).contains(permission);
    }

    /**
     * What of {@code offered} these (requested) scopes ask for: the grant. {@code offered} names
     * concrete types; a requested {@code *} type asks for every offered type.
     */
    public SmartScopes within(SmartScopes offered) {
        Map<String, Set<Permission>> granted = new TreeMap<>();
        offered.byType.forEach(
                (type, permissions) -> {
                    EnumSet<Permission> both = EnumSet.noneOf(Permission.class);
                    for (Permission p : permissions) {
                        if (allows(type, p)) {
                            both.add(p);
                        }
                    }
                    if (!both.isEmpty()) {
                        granted.put(type, both);
                    }
                });
        return new SmartScopes(granted);
    }

    public boolean isEmpty() {
        return byType.isEmpty();
    }

    /** The permissions per type (or {@code *}), for describing a grant to a person. */
    public Map<String, Set<Permission>> byType() {
        return byType;
    }

    /** The v2 form, e.g. {@code patient/Communication.crs patient/Patient.rs}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        byType.forEach(
                (type, permissions) -> {
                    if (!text.isEmpty()) {
                        text.append(' ');
                    }
                    text.append("patient/").append(type).append('.');
                    for (Permission p : Permission.values()) {
                        if (permissions.contains(p)) {
                            text.append(p.letter);
                        }
                    }
                });
        return text.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SmartScopes s && s.byType.equals(byType);
    }

    @Override
    public int hashCode() {
        return byType.hashCode();
    }

    /**
     * The {@code system/…} scopes of a backend client's request or token (SMART Backend Services),
     * read like {@link #parse} reads {@code patient/…} ones: v2 ({@code system/*.rs}) and v1
     * ({@code system/*.read}); everything else grants nothing here. Write them back with
     * {@link #asSystemScopes()}.
     */
    public static SmartScopes parseSystem(String scope) {
        if (scope == null || scope.isBlank()) {
            return NONE;
        }
        StringBuilder asPatient = new StringBuilder();
        for (String token : scope.trim().split("\\s+")) {
            if (token.startsWith("system/")) {
                asPatient.append(" patient/").append(token, "system/".length(), token.length());
            }
        }
        return parse(asPatient.toString());
    }

    /** Only the permissions of {@code kept} (e.g. read and search), per type. */
    public SmartScopes keeping(Set<Permission> kept) {
        Map<String, Set<Permission>> left = new TreeMap<>();
        byType.forEach(
                (type, permissions) -> {
                    EnumSet<Permission> both = EnumSet.noneOf(Permission.class);
                    permissions.stream().filter(kept::contains).forEach(both::add);
                    left.put(type, both);
                });
        return new SmartScopes(left);
    }

    /** The v2 form with the {@code system/} context, e.g. {@code system/*.rs}. */
    public String asSystemScopes() {
        return java.util.Arrays.stream(toString().split(" "))
                .filter(t -> !t.isEmpty())
                .map(t -> "system/" + t.substring("patient/".length()))
                .collect(java.util.stream.Collectors.joining(" "));
    }
}
