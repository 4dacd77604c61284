package dev.bluepost.identity.apps;

import dev.bluepost.fhir.FhirAccessPolicy;
import dev.bluepost.platform.security.SmartScopes;
import dev.bluepost.platform.security.SmartScopes.Permission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The scopes Bluepost offers patient apps (SMART App Launch 2, ADR 0047), as the pieces a person
 * grants or refuses one by one on the consent page: the data scopes of
 * {@link FhirAccessPolicy#PATIENT_SIDE}, split into what a person understands (reading messages,
 * sending them, visits, visit documents, the record), plus {@code launch/patient} (the app learns
 * which patient: granted with any data scope) and {@code offline_access} (the grant lasts 13 months
 * and the app gets refresh tokens: the person's choice of lifetime). Anything else requested is
 * ignored, as SMART lets a server do: the token's {@code scope} says what was granted.
 */
public final class PatientAppScopes {

    public static final String OFFLINE_ACCESS = "offline_access";
    public static final String LAUNCH_PATIENT = "launch/patient";

    /** A piece of the patient-side scopes that a person grants with one checkbox. */
    public enum Piece {
        MESSAGES_READ("Communication", Permission.READ, Permission.SEARCH),
        MESSAGES_SEND("Communication", Permission.CREATE),
        VISITS("Encounter", Permission.READ, Permission.SEARCH),
        DOCUMENTS("DocumentReference", Permission.READ, Permission.SEARCH),
        RECORD("Patient", Permission.READ, Permission.SEARCH);

        final String type;
        final Set<Permission> permissions;

        Piece(String type, Permission... permissions) {
            this.type = type;
            this.permissions = EnumSet.copyOf(Arrays.asList(permissions));
        }

        /** The consent form's checkbox name for this piece. */
        public String field() {
            return "grant-" + name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The permissions of {@code scopes} that this piece covers (empty: it is not in them). */
        Set<Permission> of(SmartScopes scopes) {
            EnumSet<Permission> covered = EnumSet.noneOf(Permission.class);
            for (Permission p : permissions) {
                if (scopes.allows(type, p)) {
                    covered.add(p);
                }
            }
            return covered;
        }
    }

    /** What an app asked for, within what is offered. */
    public record Requested(SmartScopes data, boolean offline, boolean launchPatient) {

        /** The pieces the person is asked about, in the page's order. */
        public List<Piece> pieces() {
            return Arrays.stream(Piece.values()).filter(p -> !p.of(data).isEmpty()).toList();
        }

        /**
         * The scope string granted when the person ticks {@code chosen} (pieces not asked for are
         * ignored) and chooses whether it lasts: the v2 data scopes, then {@code launch/patient} and
         * {@code offline_access} when asked for and granted. Empty when no data scope is granted.
         */
        public String grant(Collection<Piece> chosen, boolean lasting) {
            SmartScopes granted = only(data, chosen);
            if (granted.isEmpty()) {
                return "";
            }
            StringBuilder scope = new StringBuilder(granted.toString());
            if (launchPatient) {
                scope.append(' ').append(LAUNCH_PATIENT);
            }
            if (offline && lasting) {
                scope.append(' ').append(OFFLINE_ACCESS);
            }
            return scope.toString();
        }
    }

    private PatientAppScopes() {}

    /** Reads a requested scope string (null: nothing). */
    public static Requested requested(String scope) {
        Set<String> tokens = tokens(scope);
        return new Requested(
                SmartScopes.parse(scope).within(FhirAccessPolicy.PATIENT_SIDE),
                tokens.contains(OFFLINE_ACCESS),
                tokens.contains(LAUNCH_PATIENT));
    }

    /** Whether a granted scope string lets the app have refresh tokens. */
    public static boolean offline(String grantedScope) {
        return tokens(grantedScope).contains(OFFLINE_ACCESS);
    }

    /**
     * A refresh's scope (RFC 6749 §6): the requested one when it is within the granted one (the same
     * or narrower), written as a grant is; null when it asks for anything not granted (widening) or
     * for no data at all.
     */
    public static String narrowed(String granted, String requested) {
        Set<String> have = tokens(granted);
        SmartScopes haveData = SmartScopes.parse(granted);
        List<String> data = new ArrayList<>();
        boolean offline = false;
        boolean launch = false;
        for (String token : tokens(requested)) {
            if (token.equals(OFFLINE_ACCESS) || token.equals(LAUNCH_PATIENT)) {
                if (!have.contains(token)) {
                    return null;
                }
                offline |= token.equals(OFFLINE_ACCESS);
                launch |= token.equals(LAUNCH_PATIENT);
                continue;
            }
            SmartScopes one = SmartScopes.parse(token);
            if (one.isEmpty() || !one.within(haveData).equals(one)) {
                return null;
            }
            data.add(token);
        }
        SmartScopes narrowed = SmartScopes.parse(String.join(" ", data));
        if (narrowed.isEmpty()) {
            return null;
        }
        return narrowed
                + (launch ? " " + LAUNCH_PATIENT : "")
                + (offline ? " " + OFFLINE_ACCESS : "");
    }

    /** Every scope string the discovery document lists for patient apps. */
    public static List<String> supported() {
        List<String> scopes =
                new ArrayList<>(Arrays.asList(FhirAccessPolicy.PATIENT_SIDE.toString().split(" ")));
        for (Piece piece : Piece.values()) {
            String v2 = "patient/" + piece.type + "." + letters(piece.permissions);
            if (!scopes.contains(v2)) {
                scopes.add(v2);
            }
        }
        scopes.add(LAUNCH_PATIENT);
        scopes.add(OFFLINE_ACCESS);
        return scopes;
    }

    private static SmartScopes only(SmartScopes data, Collection<Piece> chosen) {
        List<String> parts = new ArrayList<>();
        for (Piece piece : chosen) {
            Set<Permission> covered = piece.of(data);
            if (!covered.isEmpty()) {
                parts.add("patient/" + piece.type + "." + letters(covered));
            }
        }
        return SmartScopes.parse(String.join(" ", parts));
    }

    private static String letters(Set<Permission> permissions) {
        StringBuilder text = new StringBuilder();
        for (Permission p : Permission.values()) {
            if (permissions.contains(p)) {
                text.append(p.letter());
            }
        }
        return text.toString();
    }

    private static Set<String> tokens(String scope) {
        Set<String> tokens = new LinkedHashSet<>();
        if (scope != null && !scope.isBlank()) {
            tokens.addAll(Arrays.asList(scope.trim().split("\\s+")));
        }
        return tokens;
    }
}
