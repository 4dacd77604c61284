package dev.bluepost.measurement.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One EP's result for one measure and period (docs/measures.md §9.10): counts, the exact met flag,
 * exclusion eligibility with evidence, the patients behind every population with the qualifying
 * encounter and event ids, the policy flags in force, the period warnings and the as-of time.
 *
 * @param initialPopulation    unique patients the EP saw in the period at any location (office visits)
 * @param denominator          unique patients seen at a CEHRT-equipped location (or per the FAQ 3077 flag)
 * @param denominatorExclusion initial population not in the denominator (seen only where the EP has no CEHRT)
 * @param numerator            patients of the denominator with a qualifying action
 * @param officeVisits         the EP's office visits in the period (for the no-office-visits exclusion)
 * @param counts               the size of every population; a summary report (ADR 0027 part 2) has only these
 * @param patientLists         whether the four population maps are filled (exact path) or empty (SQL summary)
 * @param notAvailable         why the measure's numerator counts nobody on this platform (PEA-S2-M1 without transmit), or null
 */
public record EpMeasureReport(
        MeasureId measure,
        ReportingPeriod period,
        UUID practitionerId,
        String npi,
        String name,
        Map<UUID, PatientEntry> initialPopulation,
        Map<UUID, PatientEntry> denominator,
        Map<UUID, PatientEntry> denominatorExclusion,
        Map<UUID, PatientEntry> numerator,
        long officeVisits,
        Threshold threshold,
        boolean thresholdMet,
        boolean fullyEnabled,
        List<Exclusion> exclusions,
        CehrtShare cehrt,
        List<String> warnings,
        Map<String, String> policies,
        Instant asOf,
        Counts counts,
        boolean patientLists,
        NotAvailable notAvailable) {

    /** A report with patient lists: the counts are the sizes of the lists. */
    public EpMeasureReport(
            MeasureId measure,
            ReportingPeriod period,
            UUID practitionerId,
            String npi,
            String name,
            Map<UUID, PatientEntry> initialPopulation,
            Map<UUID, PatientEntry> denominator,
            Map<UUID, PatientEntry> denominatorExclusion,
            Map<UUID, PatientEntry> numerator,
            long officeVisits,
            Threshold threshold,
            boolean thresholdMet,
            boolean fullyEnabled,
            List<Exclusion> exclusions,
            CehrtShare cehrt,
            List<String> warnings,
            Map<String, String> policies,
            Instant asOf) {
        this(
                measure,
                period,
                practitionerId,
                npi,
                name,
                initialPopulation,
                denominator,
                denominatorExclusion,
                numerator,
                officeVisits,
                threshold,
                thresholdMet,
                fullyEnabled,
                exclusions,
                cehrt,
                warnings,
                policies,
                asOf,
                new Counts(
                        initialPopulation.size(),
                        denominator.size(),
                        denominatorExclusion.size(),
                        numerator.size()),
                true,
                null);
    }

    /** The number of patients in each population. */
    public record Counts(
            long initialPopulation, long denominator, long denominatorExclusion, long numerator) {}

    /** A patient in a population with what put them there. {@code outsidePeriod}: the qualifying action falls outside the period (PEA, §10 row 32). */
    public record PatientEntry(
            UUID patientId, List<UUID> encounterIds, List<UUID> eventIds, boolean outsidePeriod) {}

    /**
     * The measure cannot count anyone on this platform (docs/measures.md §5.1: PEA-S2-M1 needs view, download and
     * transmit). {@code timelyAccess}: patients of the denominator given timely online access to the functions
     * that are available (evidence only, never counted).
     */
    public record NotAvailable(String code, String reason, long timelyAccess) {

        public static final String TRANSMIT_NOT_AVAILABLE = "TRANSMIT_NOT_AVAILABLE";
    }

    /**
     * An exclusion the EP may claim at attestation, never applied automatically (§6.4): {@code evidence} in English
     * (the FHIR MeasureReport's), {@code facts} the numbers, dates and counties behind it, for a page to word in its
     * reader's language.
     */
    public record Exclusion(String code, boolean eligible, String evidence, Facts facts) {

        public Exclusion(String code, boolean eligible, String evidence) {
            this(code, eligible, evidence, Facts.NONE);
        }

        /**
         * What an exclusion's evidence says. {@code count} of {@code of}: the office visits (NO_OFFICE_VISITS), the encounters
         * in low-broadband counties of all the EP's encounters (BROADBAND), the visits with documents (NEITHER_ORDERS_NOR_CREATES).
         * BROADBAND also names the speed, the FCC data set used ({@code dataSetAsOf}, null when none was available on
         * {@code availableOn}), the low-broadband counties with their encounters and the counties without data;
         * FULLY_ENABLED_EVIDENCE the day secure messaging was turned on ({@code since}, null when it is not).
         */
        public record Facts(
                long count,
                long of,
                int mbps,
                LocalDate dataSetAsOf,
                LocalDate availableOn,
                Map<String, Long> countiesLow,
                List<String> countiesUnknown,
                LocalDate since) {

            public static final Facts NONE =
                    new Facts(0, 0, 0, null, null, Map.of(), List.of(), null);

            public static Facts count(long count, long of) {
                return new Facts(count, of, 0, null, null, Map.of(), List.of(), null);
            }

            public static Facts since(LocalDate since) {
                return new Facts(0, 0, 0, null, null, Map.of(), List.of(), since);
            }
        }
    }

    /** The 50 % CEHRT-location test (§2.3): encounters, not patients; hospital inpatient and ED encounters skipped. */
    public record CehrtShare(long cehrtEncounters, long encounters, boolean eligible) {

        public String flag() {
            return eligible ? null : "INELIGIBLE_CEHRT_LOCATION_SHARE";
        }

        public String percent() {
            return encounters == 0
                    ? "–"
                    : BigDecimal.valueOf(cehrtEncounters * 100)
                                    .divide(BigDecimal.valueOf(encounters), 2, RoundingMode.HALF_UP)
                            + " %";
        }
    }

    public long numeratorCount() {
        return counts.numerator();
    }

    public long denominatorCount() {
        return counts.denominator();
    }

    /** numerator ÷ denominator, or null when the denominator is 0 (no percentage, §2). */
    public BigDecimal score() {
        return counts.denominator() == 0
                ? null
                : BigDecimal.valueOf(counts.numerator())
                        .divide(BigDecimal.valueOf(counts.denominator()), 6, RoundingMode.HALF_UP);
    }

    /** The percentage to 2 decimals, for display only. */
    public String percent() {
        return counts.denominator() == 0
                ? "–"
                : BigDecimal.valueOf(counts.numerator() * 100L)
                                .divide(
                                        BigDecimal.valueOf(counts.denominator()),
                                        2,
                                        RoundingMode.HALF_UP)
                        + " %";
    }

    /** How many more seen patients must join the numerator to pass (what-if); meaningless when {@link #notAvailable} is set. */
    public long shortfall() {
        return threshold.shortfall(counts.numerator(), counts.denominator());
    }

    public List<Exclusion> eligibleExclusions() {
        return exclusions.stream().filter(Exclusion::eligible).toList();
    }
}
