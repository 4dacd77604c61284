package dev.bluepost.measurement.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The platform policies of docs/measures.md §2, §2.3 and §9 (at a glance: §9.11), each a named
 * flag whose value is shown on every report (docs/measurement.md). Defaults are those of
 * docs/measures.md §9.11; the § references below are to that page.
 *
 * @param poolAttribution                        §9.4: who is credited for a patient message to a pool
 * @param includeStaffOnlyVisits                 §2 / FAQ 10665: patients seen only by the EP's clinical staff (the EP as
 *                                               supervising performer of a non-EP's visit) count for the EP
 * @param includeNonCehrtEncountersEnteredInCehrt §2.3 / FAQ 3077: encounters at non-CEHRT locations count when the EP
 *                                               meets the 50 % CEHRT test
 * @param countSystemMessagesAsEpSent           §9.3: automatic messages count as EP-sent (MS2/S3)
 * @param countStaffSentOnBehalfOfEp            §9.5: staff messages recorded on behalf of a named EP count as EP-sent
 * @param peaActionWindow                        §2.2 / §10 row 32: when a PEA numerator action may happen
 */
public record MeasurePolicies(
        PoolAttribution poolAttribution,
        boolean includeStaffOnlyVisits,
        boolean includeNonCehrtEncountersEnteredInCehrt,
        boolean countSystemMessagesAsEpSent,
        boolean countStaffSentOnBehalfOfEp,
        PeaActionWindow peaActionWindow) {

    public enum PoolAttribution {
        /** A pool message credits an EP only if, during the period, it is routed or assigned to that EP. */
        ASSIGNED_EP,
        /** A pool message credits every EP of the practice who has the patient in their denominator. */
        PRACTICE_WIDE
    }

    public enum PeaActionWindow {
        /** CMS FAQ 8231: from the first day of the reporting year to the attestation date. */
        REPORTING_YEAR_TO_ATTESTATION,
        /** The ONC blog's reading: inside the reporting period. */
        REPORTING_PERIOD
    }

    public static final String POOL_ATTRIBUTION = "poolAttribution";
    public static final String INCLUDE_STAFF_ONLY_VISITS = "includeStaffOnlyVisits";
    public static final String INCLUDE_NON_CEHRT = "includeNonCehrtEncountersEnteredInCehrt";
    public static final String COUNT_SYSTEM_MESSAGES = "countSystemMessagesAsEpSent";
    public static final String COUNT_STAFF_FOR_EP = "countStaffSentOnBehalfOfEp";
    public static final String PEA_ACTION_WINDOW = "peaActionWindow";

    public static MeasurePolicies defaults() {
        return new MeasurePolicies(
                PoolAttribution.ASSIGNED_EP,
                false,
                false,
                false,
                true,
                PeaActionWindow.REPORTING_YEAR_TO_ATTESTATION);
    }

    /** Policies from request parameters (absent = default); a value that is not allowed is a 400. */
    public static MeasurePolicies from(Function<String, String> parameter) {
        MeasurePolicies d = defaults();
        return new MeasurePolicies(
                enumValue(
                        parameter.apply(POOL_ATTRIBUTION),
                        PoolAttribution.class,
                        POOL_ATTRIBUTION,
                        d.poolAttribution),
                bool(
                        parameter.apply(INCLUDE_STAFF_ONLY_VISITS),
                        INCLUDE_STAFF_ONLY_VISITS,
                        d.includeStaffOnlyVisits),
                bool(
                        parameter.apply(INCLUDE_NON_CEHRT),
                        INCLUDE_NON_CEHRT,
                        d.includeNonCehrtEncountersEnteredInCehrt),
                bool(
                        parameter.apply(COUNT_SYSTEM_MESSAGES),
                        COUNT_SYSTEM_MESSAGES,
                        d.countSystemMessagesAsEpSent),
                bool(
                        parameter.apply(COUNT_STAFF_FOR_EP),
                        COUNT_STAFF_FOR_EP,
                        d.countStaffSentOnBehalfOfEp),
                enumValue(
                        parameter.apply(PEA_ACTION_WINDOW),
                        PeaActionWindow.class,
                        PEA_ACTION_WINDOW,
                        d.peaActionWindow));
    }

    /** Every flag by name, in a fixed order, as reports show them. */
    public Map<String, String> asMap() {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put(POOL_ATTRIBUTION, poolAttribution.name());
        flags.put(INCLUDE_STAFF_ONLY_VISITS, Boolean.toString(includeStaffOnlyVisits));
        flags.put(INCLUDE_NON_CEHRT, Boolean.toString(includeNonCehrtEncountersEnteredInCehrt));
        flags.put(COUNT_SYSTEM_MESSAGES, Boolean.toString(countSystemMessagesAsEpSent));
        flags.put(COUNT_STAFF_FOR_EP, Boolean.toString(countStaffSentOnBehalfOfEp));
        flags.put(PEA_ACTION_WINDOW, peaActionWindow.name());
        return flags;
    }

    public MeasurePolicies withPoolAttribution(PoolAttribution value) {
        return new MeasurePolicies(
                value,
                includeStaffOnlyVisits,
                includeNonCehrtEncountersEnteredInCehrt,
                countSystemMessagesAsEpSent,
                countStaffSentOnBehalfOfEp,
                peaActionWindow);
    }

    private static boolean bool(String value, String name, boolean fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return switch (value.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ParameterProblem.notBoolean(name);
        };
    }

    private static <E extends Enum<E>> E enumValue(
            String value, Class<E> type, String name, E fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.trim());
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder();
            for (E constant : type.getEnumConstants()) {
                allowed.append(allowed.length() == 0 ? "" : ", ").append(constant.name());
            }
            throw ParameterProblem.notOneOf(name, allowed.toString());
        }
    }
}
