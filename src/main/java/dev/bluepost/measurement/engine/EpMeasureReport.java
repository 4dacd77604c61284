package dev.bluepost.measurement.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One EP's result for one measure and period (measures.md §9 rule 10): counts, the exact met flag,
 * exclusion eligibility with evidence, the patients behind every population with the qualifying
 * encounter and event ids, the policy flags in force, the period warnings and the as-of time.
 *
 * @param initialPopulation    unique patients the EP saw in the period at any location (office visits)
 * @param denominator          unique patients seen at a CEHRT-equipped location (or per the FAQ 3077 flag)
 * @param denominatorExclusion initial population not in the denominator (seen only where the EP has no CEHRT)
 * @param numerator            patients of the denominator with a qualifying action
 * @param officeVisits         the EP's office visits in the period (for the no-office-visits exclusion)
 */
public record EpMeasureReport(MeasureId measure, ReportingPeriod period, UUID practitionerId, String npi, String name,
                              Map<UUID, PatientEntry> initialPopulation, Map<UUID, PatientEntry> denominator,
                              Map<UUID, PatientEntry> denominatorExclusion, Map<UUID, PatientEntry> numerator,
                              long officeVisits, Threshold threshold, boolean thresholdMet, boolean fullyEnabled,
                              List<Exclusion> exclusions, CehrtShare cehrt, List<String> warnings,
                              Map<String, String> policies, Instant asOf) {

    /** A patient in a population with what put them there. {@code outsidePeriod}: the qualifying action falls outside the period (PEA, §10 row 32). */
    public record PatientEntry(UUID patientId, List<UUID> encounterIds, List<UUID> eventIds, boolean outsidePeriod) {
    }

    /** An exclusion the EP may claim at attestation, never applied automatically (§6.4). */
    public record Exclusion(String code, boolean eligible, String evidence) {
    }

    /** The 50 % CEHRT-location test (§2.3): encounters, not patients; hospital inpatient and ED encounters skipped. */
    public record CehrtShare(long cehrtEncounters, long encounters, boolean eligible) {

        public String flag() {
            return eligible ? null : "INELIGIBLE_CEHRT_LOCATION_SHARE";
        }

        public String percent() {
            return encounters == 0 ? "–" : BigDecimal.valueOf(cehrtEncounters * 100).divide(BigDecimal.valueOf(encounters), 2, RoundingMode.HALF_UP) + " %";
        }
    }

    public long numeratorCount() {
        return numerator.size();
    }

    public long denominatorCount() {
        return denominator.size();
    }

    /** numerator ÷ denominator, or null when the denominator is 0 (no percentage, §2). */
    public BigDecimal score() {
        return denominator.isEmpty() ? null
                : BigDecimal.valueOf(numerator.size()).divide(BigDecimal.valueOf(denominator.size()), 6, RoundingMode.HALF_UP);
    }

    /** The percentage to 2 decimals, for display only. */
    public String percent() {
        return denominator.isEmpty() ? "–"
                : BigDecimal.valueOf(numerator.size() * 100L).divide(BigDecimal.valueOf(denominator.size()), 2, RoundingMode.HALF_UP) + " %";
    }

    /** How many more seen patients must join the numerator to pass (what-if). */
    public long shortfall() {
        return threshold.shortfall(numerator.size(), denominator.size());
    }

    public List<Exclusion> eligibleExclusions() {
        return exclusions.stream().filter(Exclusion::eligible).toList();
    }
}
