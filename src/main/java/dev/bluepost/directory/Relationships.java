package dev.bluepost.directory;

import java.util.Locale;
import java.util.Set;

/**
 * A family member's or caregiver's relationship to the patient in words ("parent", "legal guardian"),
 * never its code (v3-RoleCode: PRN, GUARD…). Codes without a word of their own read "caregiver".
 */
public final class Relationships {

    private static final Set<String> PARENT = Set.of("PRN", "NPRN");
    private static final Set<String> MOTHER = Set.of("MTH", "NMTH");
    private static final Set<String> FATHER = Set.of("FTH", "NFTH");
    private static final Set<String> STEPPARENT = Set.of("STPPRN", "STPMTH", "STPFTH");
    private static final Set<String> ADOPTIVE = Set.of("ADOPTP", "ADOPTM", "ADOPTF");
    private static final Set<String> GRANDPARENT =
            Set.of(
                    "GRPRN", "GRMTH", "GRFTH", "MGRPRN", "MGRMTH", "MGRFTH", "PGRPRN", "PGRMTH",
                    "PGRFTH");
    private static final Set<String> CHILD =
            Set.of("CHILD", "SON", "DAU", "NCHILD", "CHLDADOPT", "STPCHLD");
    private static final Set<String> SPOUSE = Set.of("SPS", "HUSB", "WIFE", "DOMPART", "SIGOTHR");
    private static final Set<String> SIBLING =
            Set.of("SIB", "BRO", "SIS", "NSIB", "HSIB", "STPSIB");
    private static final Set<String> POWER_OF_ATTORNEY =
            Set.of("POWATT", "HPOWATT", "DPOWATT", "SPOWATT");

    private Relationships() {}

    /** The relationship in the given bundle's language; null when no code is recorded. */
    public static String words(String code, DirectoryMessages m) {
        if (code == null || code.isBlank()) {
            return null;
        }
        String c = code.strip().toUpperCase(Locale.ROOT);
        if (PARENT.contains(c)) {
            return m.rel_parent();
        } else if (MOTHER.contains(c)) {
            return m.rel_mother();
        } else if (FATHER.contains(c)) {
            return m.rel_father();
        } else if (STEPPARENT.contains(c)) {
            return m.rel_stepparent();
        } else if (ADOPTIVE.contains(c)) {
            return m.rel_adoptive_parent();
        } else if ("GUARD".equals(c)) {
            return m.rel_guardian();
        } else if (GRANDPARENT.contains(c)) {
            return m.rel_grandparent();
        } else if (CHILD.contains(c)) {
            return m.rel_child();
        } else if (SPOUSE.contains(c)) {
            return m.rel_spouse();
        } else if (SIBLING.contains(c)) {
            return m.rel_sibling();
        } else if (POWER_OF_ATTORNEY.contains(c)) {
            return m.rel_power_of_attorney();
        } else if ("FRND".equals(c)) {
            return m.rel_friend();
        } else if ("FAMMEMB".equals(c) || "EXT".equals(c)) {
            return m.rel_family();
        }
        return m.rel_caregiver();
    }
}
