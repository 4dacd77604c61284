package dev.bluepost.measurement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bluepost.measurement.engine.EpMeasureReport;
import dev.bluepost.measurement.engine.FactRecorder;
import dev.bluepost.measurement.engine.MeasureEvaluator;
import dev.bluepost.measurement.engine.MeasureId;
import dev.bluepost.measurement.engine.MeasurePolicies;
import dev.bluepost.measurement.engine.MeasurePolicies.PeaActionWindow;
import dev.bluepost.measurement.engine.MeasurePolicies.PoolAttribution;
import dev.bluepost.measurement.engine.MeasureSummary;
import dev.bluepost.measurement.engine.PortalCapabilities;
import dev.bluepost.measurement.engine.ReportingPeriod;
import dev.bluepost.measurement.engine.Threshold;
import dev.bluepost.platform.errors.BluepostException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every row of docs/measures.md §10 (edge cases), over a real PostgreSQL with the application's migrations. Row
 * numbers are in the test names.
 */
class MeasureEdgeCasesTest {

    static final ReportingPeriod Q1_2014 =
            new ReportingPeriod(LocalDate.of(2014, 1, 1), LocalDate.of(2014, 3, 31));
    static final LocalDate IN = LocalDate.of(2014, 2, 10);
    static final LocalDateTime IN_AT = LocalDateTime.of(2014, 2, 12, 9, 0);
    static final Instant AS_OF = Instant.parse("2015-01-15T12:00:00Z");

    MeasureFacts f;
    MeasureEvaluator engine;
    MeasureSummary summaries;
    MeasureEvaluator withTransmit;
    MeasureEvaluator withoutTransmit;
    UUID cehrt;

    @BeforeEach
    void setUp() {
        MeasureDatabase.reset();
        f = new MeasureFacts(MeasureDatabase.dataSource());
        engine = new MeasureEvaluator(MeasureDatabase.dataSource(), MeasureFacts.ZONE);
        summaries = new MeasureSummary(MeasureDatabase.dataSource(), MeasureFacts.ZONE, engine);
        withTransmit =
                new MeasureEvaluator(
                        MeasureDatabase.dataSource(),
                        MeasureFacts.ZONE,
                        10,
                        PortalCapabilities.VIEW_DOWNLOAD_TRANSMIT);
        withoutTransmit =
                new MeasureEvaluator(
                        MeasureDatabase.dataSource(),
                        MeasureFacts.ZONE,
                        10,
                        PortalCapabilities.VIEW_DOWNLOAD_ONLY);
        cehrt = f.location(true, "Cook");
    }

    EpMeasureReport report(MeasureId measure, ReportingPeriod period, UUID ep) {
        return report(measure, period, ep, MeasurePolicies.defaults());
    }

    EpMeasureReport report(
            MeasureId measure, ReportingPeriod period, UUID ep, MeasurePolicies policies) {
        return report(measure, period, ep, policies, LocalDate.of(2015, 1, 15));
    }

    /**
     * PEA-S2-M1 on a platform that offers view, download and transmit (rows 25–28 answer for such a
     * platform): Bluepost's own engine is such a platform and gives the same report; a portal
     * without transmit counts nobody and says why (§5.1), with the patients given timely
     * view/download access as its evidence.
     */
    EpMeasureReport m1(ReportingPeriod period, UUID ep) {
        List<EpMeasureReport> reports =
                withTransmit.evaluate(
                        MeasureId.PEA_S2_M1,
                        period,
                        MeasurePolicies.defaults(),
                        withTransmit.eps(List.of(f.practice), ep),
                        LocalDate.of(2015, 1, 15),
                        AS_OF);
        assertThat(reports).hasSize(1);
        EpMeasureReport full = reports.get(0);
        assertThat(full.notAvailable()).isNull();
        EpMeasureReport bluepost = report(MeasureId.PEA_S2_M1, period, ep);
        assertThat(bluepost.notAvailable()).isNull();
        assertThat(bluepost.denominator()).isEqualTo(full.denominator());
        assertThat(bluepost.numerator().keySet()).isEqualTo(full.numerator().keySet());
        assertThat(bluepost.thresholdMet()).isEqualTo(full.thresholdMet());
        EpMeasureReport noTransmit =
                withoutTransmit
                        .evaluate(
                                MeasureId.PEA_S2_M1,
                                period,
                                MeasurePolicies.defaults(),
                                withoutTransmit.eps(List.of(f.practice), ep),
                                LocalDate.of(2015, 1, 15),
                                AS_OF)
                        .get(0);
        assertThat(noTransmit.denominator()).isEqualTo(full.denominator());
        assertThat(noTransmit.numerator()).isEmpty();
        assertThat(noTransmit.thresholdMet()).isFalse();
        assertThat(noTransmit.notAvailable()).isNotNull();
        assertThat(noTransmit.notAvailable().code()).isEqualTo("TRANSMIT_NOT_AVAILABLE");
        assertThat(noTransmit.notAvailable().timelyAccess()).isEqualTo(full.numeratorCount());
        return full;
    }

    EpMeasureReport report(
            MeasureId measure,
            ReportingPeriod period,
            UUID ep,
            MeasurePolicies policies,
            LocalDate attestation) {
        List<EpMeasureReport> reports =
                engine.evaluate(
                        measure,
                        period,
                        policies,
                        engine.eps(List.of(f.practice), ep),
                        attestation,
                        AS_OF);
        assertThat(reports).hasSize(1);
        EpMeasureReport exact = reports.get(0);
        // every SM-S2 case is also a case of the SQL summary (ADR 0027 part 2): the same numbers
        // and evidence
        summaries
                .sqlSummary(measure, period, policies, engine.eps(List.of(f.practice), ep), AS_OF)
                .ifPresent(
                        summary -> {
                            assertThat(summary).hasSize(1);
                            EpMeasureReport s = summary.get(0);
                            assertThat(s.counts())
                                    .as("SQL summary counts")
                                    .isEqualTo(exact.counts());
                            assertThat(s.thresholdMet()).isEqualTo(exact.thresholdMet());
                            assertThat(s.officeVisits()).isEqualTo(exact.officeVisits());
                            assertThat(s.cehrt()).isEqualTo(exact.cehrt());
                            assertThat(s.exclusions())
                                    .as("SQL summary exclusions")
                                    .isEqualTo(exact.exclusions());
                            assertThat(s.warnings()).isEqualTo(exact.warnings());
                        });
        assertThat(
                        summaries
                                .sqlSummary(
                                        measure,
                                        period,
                                        policies,
                                        engine.eps(List.of(f.practice), ep),
                                        AS_OF)
                                .isPresent())
                .as("the SQL summary serves SM-S2 (practices with a time zone) and nothing else")
                .isEqualTo(measure == MeasureId.SM_S2);
        return exact;
    }

    static MeasurePolicies policies(
            PoolAttribution pool,
            boolean staffOnly,
            boolean nonCehrt,
            boolean system,
            boolean staffForEp,
            PeaActionWindow window) {
        return new MeasurePolicies(pool, staffOnly, nonCehrt, system, staffForEp, window);
    }

    UUID seen(UUID ep) {
        UUID p = f.patient();
        f.visit(p, ep, IN, cehrt);
        return p;
    }

    @Test
    void row01_oneOfTwentyIsExactlyFivePercentAndNotMet() {
        UUID ep = f.ep();
        UUID first = seen(ep);
        for (int i = 1; i < 20; i++) {
            seen(ep);
        }
        f.patientToEp(first, ep, IN_AT);
        EpMeasureReport r = report(MeasureId.SM_S2, Q1_2014, ep);
        assertThat(r.numeratorCount()).isEqualTo(1);
        assertThat(r.denominatorCount()).isEqualTo(20);
        assertThat(r.percent()).isEqualTo("5.00 %");
        assertThat(r.thresholdMet()).isFalse();
        assertThat(r.shortfall()).isEqualTo(1);
    }

    @Test
    void row02_twoOfThirtyNineIsMet() {
        UUID ep = f.ep();
        UUID a = seen(ep);
        UUID b = seen(ep);
        for (int i = 2; i < 39; i++) {
            seen(ep);
        }
        f.patientToEp(a, ep, IN_AT);
        f.patientToEp(b, ep, IN_AT);
        EpMeasureReport r = report(MeasureId.SM_S2, Q1_2014, ep);
        assertThat(r.numeratorCount()).isEqualTo(2);
        assertThat(r.denominatorCount()).isEqualTo(39);
        assertThat(r.percent()).isEqualTo("5.13 %");
        assertThat(r.thresholdMet()).isTrue();
        assertThat(r.shortfall()).isZero();
    }

    @Test
    void row03_threeVisitsAndFourMessagesCountOnce() {
        UUID ep = f.ep();
        UUID p = f.patient();
        f.visit(p, ep, IN, cehrt);
        f.visit(p, ep, IN.plusDays(7), cehrt);
        f.visit(p, ep, IN.plusDays(14), cehrt);
        for (int i = 0; i < 4; i++) {
            f.patientToEp(p, ep, IN_AT.plusDays(i));
        }
        EpMeasureReport r = report(MeasureId.SM_S2, Q1_2014, ep);
        assertThat(r.denominatorCount()).isEqualTo(1);
        assertThat(r.numeratorCount()).isEqualTo(1);
        assertThat(r.denominator().get(p).encounterIds()).hasSize(3);
        assertThat(r.numerator().get(p).eventIds()).hasSize(4);
        assertThat(r.officeVisits()).isEqualTo(3);
    }

    @Test
    void row04_messagesBeforeTheFirstOrAfterTheLastLocalDayDoNotCount() {
        UUID ep = f.ep();
        UUID p = seen(ep);
        f.patientToEp(p, ep, LocalDateTime.of(2013, 12, 31, 23, 59));
        f.patientToEp(p, ep, LocalDateTime.of(2014, 4, 1, 0, 0));
        assertThat(report(MeasureId.SM_S2, Q1_2014, ep).numeratorCount()).isZero();
        // the first and last local days themselves are inside (both ends inclusive, practice time
        // zone)
        f.patientToEp(p, ep, LocalDateTime.of(2014, 1, 1, 0, 0));
        assertThat(report(MeasureId.SM_S2, Q1_2014, ep).numeratorCount()).isEqualTo(1);
    }

    @Test
    void row05_messageFromAPatientNotSeenIsNotCounted() {
        UUID ep = f.ep();
        seen(ep);
        UUID unseen = f.patient();
        f.patientToEp(unseen, ep, IN_AT);
        EpMeasureReport r = report(MeasureId.SM_S2, Q1_2014, ep);
        assertThat(r.numeratorCount()).isZero();
        assertThat(r.denominatorCount()).isEqualTo(1);
    }

    @Test
    void row06_messageBeforeTheVisitInThePeriodCounts() {
        UUID ep = f.ep();
        UUID p = f.patient();
        f.visit(p, ep, LocalDate.of(2014, 3, 20), cehrt);
        f.patientToEp(p, ep, LocalDateTime.of(2014, 1, 5, 8, 0));
        assertThat(report(MeasureId.SM_S2, Q1_2014, ep).numeratorCount()).isEqualTo(1);
    }

    @Test
    void row07_representativeMessageCountsForThePatientWhileAuthorized() {
        UUID ep = f.ep();
        UUID child = seen(ep);
        UUID parent = f.proxy(child, Instant.parse("2013-01-01T00:00:00Z"), null);
        f.message(
                child,
                "PROXY",
                "RelatedPerson",
                parent,
                MeasureFacts.at(IN_AT),
                true,
                null,
                "Practitioner/" + ep);
        UUID other = seen(ep);
        UUID lapsed =
                f.proxy(
                        other,
                        Instant.parse("2013-01-01T00:00:00Z"),
                        Instant.parse("2014-01-02T00:00:00Z"));
        f.message(
                other,
                "PROXY",
                "RelatedPerson",
                lapsed,
                MeasureFacts.at(IN_AT),
                true,
                null,
                "Practitioner/" + ep);
        EpMeasureReport r = report(MeasureId.SM_S2, Q1_2014, ep);
        assertThat(r.numerator().keySet()).containsExactly(child);
    }

    @Test
    void row08_creditIsPerEpButBothDenominatorsCount() {
        UUID a = f.ep();
        UUID b = f.ep();
        UUID p = f.patient();
        f.visit(p, a, IN, cehrt);
        f.visit(p, b, IN.plusDays(1), cehrt);
        f.patientToEp(p, a, IN_AT);
        EpMeasureReport ra = report(MeasureId.SM_S2, Q1_2014, a);
        EpMeasureReport rb = report(MeasureId.SM_S2, Q1_2014, b);
        assertThat(ra.numeratorCount()).isEqualTo(1);
        assertThat(rb.numeratorCount()).isZero();
        assertThat(ra.denominatorCount()).isEqualTo(1);
        assertThat(rb.denominatorCount()).isEqualTo(1);
    }

    @Test
    void row09_epInitiatedMessageCountsOnlyUnderModifiedStage2() {
        UUID ep = f.ep();
        UUID p = seen(ep);
        f.epToPatient(ep, p, IN_AT, null);
        assertThat(report(MeasureId.SM_S2, Q1_2014, ep).numeratorCount()).isZero();
        ReportingPeriod y2017 =
                new ReportingPeriod(LocalDate.of(2017, 1, 1), LocalDate.of(2017, 12, 31));
        UUID q = f.patient();
        f.visit(q, ep, LocalDate.of(2017, 5, 2), cehrt);
        f.epToPatient(ep, q, LocalDateTime.of(2017, 5, 3, 9, 0), null);
        assertThat(report(MeasureId.SM_MS2_2017, y2017, ep).numerator().keySet())
                .containsExactly(q);
        assertThat(report(MeasureId.SM_S3, y2017, ep).numerator().keySet()).containsExactly(q);
    }

    @Test
    void row10_patientMessageWithoutReplyCountsOnlyUnderStage2() {
        UUID ep = f.ep();
        UUID p = seen(ep);
        f.patientToEp(p, ep, IN_AT);
        assertThat(report(MeasureId.SM_S2, Q1_2014, ep).numeratorCount()).isEqualTo(1);
        ReportingPeriod y2017 =
                new ReportingPeriod(LocalDate.of(2017, 1, 1), LocalDate.of(2017, 12, 31));
        UUID q = f.patient();
        f.visit(q, ep, LocalDate.of(2017, 5, 2), cehrt);
        UUID asked = f.patientToEp(q, ep, LocalDateTime.of(2017, 5, 3, 9, 0));
        assertThat(report(MeasureId.SM_MS2_2017, y2017, ep).numeratorCount()).isZero();
        // and the EP's reply to the patient's message counts (ONC RT5 element a)
        f.message(
                q,
                "EP",
                "Practitioner",
                ep,
                MeasureFacts.at(LocalDateTime.of(2017, 5, 4, 9, 0)),
                true,
                asked);
        assertThat(report(MeasureId.SM_MS2_2017, y2017, ep).numeratorCount()).isEqualTo(1);
    }

    @Test
    void row11_messageFromAnotherInterfaceReceivedByTheMessagingFunctionCounts() {
        UUID ep = f.ep();
        UUID p = seen(ep);
        // an inbound Direct/HISP or PHR message arrives through the system client: stored as a
        // secure patient message
        f.message(
                p,
                "PATIENT",
                "Patient",
                p,
                MeasureFacts.at(IN_AT),
                true,
                null,
                "Practitioner/" + ep);
        assertThat(report(MeasureId.SM_S2, Q1_2014, ep).numeratorCount()).isEqualTo(1);
    }

    @Test
    void row12_phoneOrPlainEmailDoesNotCount() {
        UUID ep = f.ep();
        UUID p = seen(ep);
        f.message(
                p,
                "PATIENT",
                "Patient",
                p,
                MeasureFacts.at(IN_AT),
                false,
                null,
                "Practitioner/" + ep);
        assertThat(report(MeasureId.SM_S2, Q1_2014, ep).numeratorCount()).isZero();
    }

    @Test
    void row13_noOfficeVisitsMakesTheExclusionAvailableWithoutPercentage() {
        UUID ep = f.ep();
        UUID p = f.patient();
        f.encounter(p, IN, cehrt, "cancelled", "AMB", ep, "PPRF");
        EpMeasureReport r = report(MeasureId.SM_S2, Q1_2014, ep);
        assertThat(r.denominatorCount()).isZero();
        assertThat(r.score()).isNull();
        assertThat(r.thresholdMet()).isFalse();
        assertThat(r.eligibleExclusions())
                .extracting(EpMeasureReport.Exclusion::code)
                .contains("NO_OFFICE_VISITS");
    }

    @Test
    void row14_exactlyHalfTheEncountersInLowBroadbandCountiesQualifies() {
        UUID ep = f.ep();
        UUID rural = f.location(true, "Pope");
        f.broadband("Pope", LocalDate.of(2013, 6, 30), "0.30", "0.20");
        f.broadband("Cook", LocalDate.of(2013, 6, 30), "0.95", "0.90");
        f.visit(f.patient(), ep, IN, rural);
        f.visit(f.patient(), ep, IN, cehrt);
        EpMeasureReport r = report(MeasureId.SM_S2, Q1_2014, ep);
        assertThat(r.exclusions())
                .filteredOn(e -> e.code().equals("BROADBAND"))
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.eligible()).isTrue();
                            assertThat(e.evidence()).contains("1 of 2").contains("Pope");
                        });
        // data published after the first day of the period is not used
        f.broadband("Pope", LocalDate.of(2014, 1, 2), "0.90", "0.90");
        assertThat(report(MeasureId.SM_S2, Q1_2014, ep).eligibleExclusions())
                .extracting(EpMeasureReport.Exclusion::code)
                .contains("BROADBAND");
    }

    @Test
    void row15_countyAtExactlyFiftyPercentDoesNotCount() {
        UUID ep = f.ep();
        UUID half = f.location(true, "Half");
        f.broadband("Half", LocalDate.of(2013, 6, 30), "0.50", "0.50");
        f.visit(f.patient(), ep, IN, half);
        EpMeasureReport r = report(MeasureId.SM_S2, Q1_2014, ep);
        assertThat(r.eligibleExclusions())
                .extracting(EpMeasureReport.Exclusion::code)
                .doesNotContain("BROADBAND");
    }

    @Test
    void row16_from2015TheBroadbandCutOffIsFourMbps() {
        UUID ep = f.ep();
        UUID county = f.location(true, "Mid");
        f.broadband("Mid", LocalDate.of(2013, 6, 30), "0.60", "0.40");
        f.visit(f.patient(), ep, IN, county);
        f.visit(f.patient(), ep, LocalDate.of(2015, 2, 10), county);
        assertThat(report(MeasureId.SM_S2, Q1_2014, ep).eligibleExclusions())
                .extracting(EpMeasureReport.Exclusion::code)
                .doesNotContain("BROADBAND");
        ReportingPeriod p2015 =
                new ReportingPeriod(LocalDate.of(2015, 1, 1), LocalDate.of(2015, 3, 31));
        assertThat(report(MeasureId.SM_MS2_2015, p2015, ep).eligibleExclusions())
                .extracting(EpMeasureReport.Exclusion::code)
                .contains("BROADBAND");
    }

    @Test
    void row17_patientSeenOnlyAtANonCehrtLocationIsExcludedUnlessTheFlagIncludesIt() {
        UUID ep = f.ep();
        UUID paper = f.location(false, "Cook");
        UUID a = seen(ep);
        seen(ep);
        UUID onlyPaper = f.patient();
        f.visit(onlyPaper, ep, IN, paper);
        EpMeasureReport r = report(MeasureId.SM_S2, Q1_2014, ep);
        assertThat(r.cehrt().eligible()).isTrue();
        assertThat(r.denominator().keySet()).doesNotContain(onlyPaper).contains(a);
        assertThat(r.denominatorExclusion().keySet()).containsExactly(onlyPaper);
        assertThat(r.initialPopulation()).hasSize(3);
        EpMeasureReport included =
                report(
                        MeasureId.SM_S2,
                        Q1_2014,
                        ep,
                        policies(
                                PoolAttribution.ASSIGNED_EP,
                                false,
                                true,
                                false,
                                true,
                                PeaActionWindow.REPORTING_YEAR_TO_ATTESTATION));
        assertThat(included.denominator().keySet()).contains(onlyPaper);
        assertThat(included.policies())
                .containsEntry("includeNonCehrtEncountersEnteredInCehrt", "true");
    }

    @Test
    void row18_lessThanHalfTheEncountersAtCehrtLocationsIsFlaggedButComputed() {
        UUID ep = f.ep();
        UUID paper = f.location(false, "Cook");
        UUID p = seen(ep);
        seen(ep);
        f.visit(f.patient(), ep, IN, paper);
        f.visit(f.patient(), ep, IN, paper);
        // hospital inpatient / ED encounters are not counted for the test
        UUID er = f.location(false, "Cook", "23");
        f.encounter(f.patient(), IN, er, "finished", "AMB", ep, "PPRF");
        f.encounter(f.patient(), IN, null, "finished", "IMP", ep, "PPRF");
        f.patientToEp(p, ep, IN_AT);
        EpMeasureReport r = report(MeasureId.SM_S2, Q1_2014, ep);
        assertThat(r.cehrt().encounters()).isEqualTo(4);
        assertThat(r.cehrt().cehrtEncounters()).isEqualTo(2);
        assertThat(r.cehrt().eligible()).isTrue();
        f.visit(f.patient(), ep, IN, paper);
        EpMeasureReport ineligible = report(MeasureId.SM_S2, Q1_2014, ep);
        assertThat(ineligible.cehrt().flag()).isEqualTo("INELIGIBLE_CEHRT_LOCATION_SHARE");
        assertThat(ineligible.warnings())
                .anyMatch(w -> w.startsWith("INELIGIBLE_CEHRT_LOCATION_SHARE"));
        assertThat(ineligible.numeratorCount()).isEqualTo(1);
        assertThat(ineligible.denominatorCount()).isEqualTo(2);
    }

    @Test
    void row19_patientSeenOnlyByTheNurseIsTheEpsChoiceAppliedToAll() {
        UUID ep = f.ep();
        UUID nurse = f.staff();
        UUID p = f.patient();
        f.encounter(p, IN, cehrt, "finished", "AMB", nurse, "PPRF", ep, "SPRF");
        assertThat(report(MeasureId.SM_S2, Q1_2014, ep).denominatorCount()).isZero();
        MeasurePolicies include =
                policies(
                        PoolAttribution.ASSIGNED_EP,
                        true,
                        false,
                        false,
                        true,
                        PeaActionWindow.REPORTING_YEAR_TO_ATTESTATION);
        assertThat(report(MeasureId.SM_S2, Q1_2014, ep, include).denominator().keySet())
                .containsExactly(p);
        assertThat(report(MeasureId.PEA_S2_M2, Q1_2014, ep, include).denominator().keySet())
                .containsExactly(p);
    }

    @Test
    void row20_supervisedNpWhoIsAnEpCountsForBoth() {
        UUID physician = f.ep();
        UUID np = f.ep();
        UUID p = f.patient();
        f.encounter(p, IN, cehrt, "finished", "AMB", np, "PPRF", physician, "SPRF");
        assertThat(report(MeasureId.SM_S2, Q1_2014, np).denominator().keySet()).containsExactly(p);
        assertThat(report(MeasureId.SM_S2, Q1_2014, physician).denominator().keySet())
                .containsExactly(p);
    }

    @Test
    void row21_a2014PeriodThatIsNotACalendarQuarterIsWarnedButRuns() {
        UUID ep = f.ep();
        seen(ep);
        ReportingPeriod ninety =
                new ReportingPeriod(LocalDate.of(2014, 2, 1), LocalDate.of(2014, 5, 1));
        EpMeasureReport r = report(MeasureId.SM_S2, ninety, ep);
        assertThat(r.warnings()).anyMatch(w -> w.contains("calendar quarter"));
        assertThat(r.denominatorCount()).isEqualTo(1);
        assertThat(report(MeasureId.SM_S2, Q1_2014, ep).warnings()).isEmpty();
        assertThat(
                        new ReportingPeriod(LocalDate.of(2017, 1, 1), LocalDate.of(2017, 3, 31))
                                .warnings(MeasureId.SM_MS2_2017))
                .anyMatch(w -> w.contains("full calendar year"));
    }

    @Test
    void row22_modifiedStage2In2016IsMetWithOnePatient() {
        UUID ep = f.ep();
        ReportingPeriod p2016 =
                new ReportingPeriod(LocalDate.of(2016, 3, 1), LocalDate.of(2016, 5, 29));
        for (int i = 0; i < 50; i++) {
            f.visit(f.patient(), ep, LocalDate.of(2016, 3, 10), cehrt);
        }
        UUID p = f.patient();
        f.visit(p, ep, LocalDate.of(2016, 3, 10), cehrt);
        assertThat(report(MeasureId.SM_MS2_2016, p2016, ep).thresholdMet()).isFalse();
        f.epToPatient(ep, p, LocalDateTime.of(2016, 3, 11, 9, 0), null);
        EpMeasureReport r = report(MeasureId.SM_MS2_2016, p2016, ep);
        assertThat(r.numeratorCount()).isEqualTo(1);
        assertThat(r.thresholdMet()).isTrue();
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void row23_modifiedStage2In2015IsYesNoFullyEnabled() {
        UUID ep = f.ep();
        seen(ep);
        ReportingPeriod p2015 =
                new ReportingPeriod(LocalDate.of(2015, 1, 1), LocalDate.of(2015, 3, 31));
        EpMeasureReport r = report(MeasureId.SM_MS2_2015, p2015, ep);
        assertThat(r.threshold().kind()).isEqualTo(Threshold.Kind.FULLY_ENABLED);
        assertThat(r.fullyEnabled()).isTrue();
        assertThat(r.thresholdMet()).isTrue();
        assertThat(r.exclusions())
                .anyMatch(
                        e ->
                                e.evidence()
                                        .contains(
                                                "enabled for the EP's practice since 2009-12-31"));
    }

    @Test
    void row24_stage3ProviderToProviderMessageWithThePatientCounts() {
        UUID ep = f.ep();
        UUID colleague = f.ep();
        UUID p = f.patient();
        f.visit(p, ep, LocalDate.of(2019, 2, 1), cehrt);
        f.message(
                p,
                "EP",
                "Practitioner",
                ep,
                MeasureFacts.at(LocalDateTime.of(2019, 2, 3, 9, 0)),
                true,
                null,
                "Practitioner/" + colleague,
                "Patient/" + p);
        ReportingPeriod p2019 =
                new ReportingPeriod(LocalDate.of(2019, 1, 1), LocalDate.of(2019, 3, 31));
        EpMeasureReport r = report(MeasureId.SM_S3, p2019, ep);
        assertThat(r.numerator().keySet()).containsExactly(p);
        assertThat(r.threshold()).isEqualTo(Threshold.moreThanPercent(5));
        // a provider-to-provider message without the patient does not
        UUID q = f.patient();
        f.visit(q, ep, LocalDate.of(2019, 2, 1), cehrt);
        f.message(
                q,
                "EP",
                "Practitioner",
                ep,
                MeasureFacts.at(LocalDateTime.of(2019, 2, 3, 9, 0)),
                true,
                null,
                "Practitioner/" + colleague);
        assertThat(report(MeasureId.SM_S3, p2019, ep).numerator().keySet()).containsExactly(p);
    }

    @Test
    void row25_optedOutPatientGivenCredentialsIsInBothPopulations() {
        UUID ep = f.ep();
        UUID p = seen(ep);
        f.portalAccess(p, "CREDENTIALS_GIVEN", LocalDateTime.of(2014, 2, 10, 15, 0));
        EpMeasureReport r = m1(Q1_2014, ep);
        assertThat(r.denominator().keySet()).containsExactly(p);
        assertThat(r.numerator().keySet()).containsExactly(p);
    }

    @Test
    void row26_accessOnTheFourthBusinessDayWithAHolidaySkippedIsTimely() {
        UUID ep = f.ep();
        UUID p = f.patient();
        // Thursday 2014-05-22; Memorial Day Monday 2014-05-26 is a practice holiday:
        // business days after: Fri 23 (1), Tue 27 (2), Wed 28 (3), Thu 29 (4)
        f.holiday(LocalDate.of(2014, 5, 26));
        f.visit(p, ep, LocalDate.of(2014, 5, 22), cehrt);
        f.portalAccess(p, "ACCOUNT_ACTIVATED", LocalDateTime.of(2014, 5, 29, 16, 0));
        ReportingPeriod q2 =
                new ReportingPeriod(LocalDate.of(2014, 4, 1), LocalDate.of(2014, 6, 30));
        assertThat(m1(q2, ep).numerator().keySet()).containsExactly(p);
    }

    @Test
    void row27_accessOnTheFifthBusinessDayIsNotTimely() {
        UUID ep = f.ep();
        UUID p = f.patient();
        f.visit(p, ep, LocalDate.of(2014, 5, 22), cehrt);
        f.portalAccess(
                p,
                "ACCOUNT_ACTIVATED",
                LocalDateTime.of(2014, 5, 29, 16, 0)); // no holiday: Thu 29 is the 5th
        ReportingPeriod q2 =
                new ReportingPeriod(LocalDate.of(2014, 4, 1), LocalDate.of(2014, 6, 30));
        EpMeasureReport r = m1(q2, ep);
        assertThat(r.numeratorCount()).isZero();
        assertThat(r.denominatorCount()).isEqualTo(1);
        // a visit document posted late is not timely either, even with an account
        UUID q = f.patient();
        UUID visit = f.visit(q, ep, LocalDate.of(2014, 5, 5), cehrt);
        f.portalAccess(q, "ACCOUNT_ACTIVATED", LocalDateTime.of(2013, 1, 1, 9, 0));
        f.document(
                q, visit, LocalDateTime.of(2014, 5, 5, 12, 0), LocalDateTime.of(2014, 5, 12, 9, 0));
        assertThat(m1(q2, ep).numerator().keySet()).doesNotContain(q);
    }

    @Test
    void row28_visitOnTheLastDayWithAccessAfterThePeriodCounts() {
        UUID ep = f.ep();
        UUID p = f.patient();
        f.visit(p, ep, LocalDate.of(2014, 3, 31), cehrt); // Monday
        f.portalAccess(
                p,
                "ACCOUNT_ACTIVATED",
                LocalDateTime.of(2014, 4, 3, 9, 0)); // 3 business days later
        EpMeasureReport r = m1(Q1_2014, ep);
        assertThat(r.numerator().keySet()).containsExactly(p);
        assertThat(r.numerator().get(p).outsidePeriod()).isTrue();
    }

    @Test
    void peaM1_withoutTransmitNobodyIsCountedAndTheReportSaysWhy() {
        UUID ep = f.ep();
        UUID p = seen(ep);
        seen(ep);
        // timely online access (account activated the day of the visit): would count where transmit
        // exists
        f.portalAccess(p, "ACCOUNT_ACTIVATED", LocalDateTime.of(2014, 2, 10, 15, 0));
        // Bluepost offers all three (docs/adr/0046): the patient counts
        EpMeasureReport counted = report(MeasureId.PEA_S2_M1, Q1_2014, ep);
        assertThat(counted.notAvailable()).isNull();
        assertThat(counted.numerator().keySet()).containsExactly(p);
        EpMeasureReport r =
                withoutTransmit
                        .evaluate(
                                MeasureId.PEA_S2_M1,
                                Q1_2014,
                                MeasurePolicies.defaults(),
                                withoutTransmit.eps(List.of(f.practice), ep),
                                LocalDate.of(2015, 1, 15),
                                AS_OF)
                        .get(0);
        assertThat(r.denominatorCount()).isEqualTo(2);
        assertThat(r.numeratorCount()).isZero();
        assertThat(r.numerator()).isEmpty();
        assertThat(r.thresholdMet()).isFalse();
        assertThat(r.notAvailable().code()).isEqualTo("TRANSMIT_NOT_AVAILABLE");
        assertThat(r.notAvailable().reason())
                .contains("not yet transmit", "view, download and transmit are all available");
        assertThat(r.notAvailable().timelyAccess()).isEqualTo(1);
        // PEA-S2-M2 needs any one of the three: it is available and counts as before
        f.vdt(p, "PATIENT", "VIEW", IN_AT);
        EpMeasureReport m2 = report(MeasureId.PEA_S2_M2, Q1_2014, ep);
        assertThat(m2.notAvailable()).isNull();
        assertThat(m2.numerator().keySet()).containsExactly(p);
        // the other measures are never "not available"
        assertThat(report(MeasureId.SM_S2, Q1_2014, ep).notAvailable()).isNull();
        assertThat(
                        summaries
                                .summarize(
                                        MeasureId.SM_S2,
                                        Q1_2014,
                                        MeasurePolicies.defaults(),
                                        engine.eps(List.of(f.practice), ep),
                                        LocalDate.of(2015, 1, 15),
                                        AS_OF)
                                .get(0)
                                .notAvailable())
                .isNull();
    }

    @Test
    void peaM1_accessGivenBeforeTheDeploymentOfferedTransmitCountsFromTheDayTransmitArrived() {
        UUID ep = f.ep();
        UUID p = seen(ep);
        // the account was activated on the day of the visit, when the portal offered only view and
        // download
        f.portalAccess(p, "ACCOUNT_ACTIVATED", LocalDateTime.of(2014, 2, 10, 15, 0));

        // transmit arrived after the four business days: the access was never timely for all three
        // functions
        transmitSince("2014-02-20T12:00:00Z");
        EpMeasureReport late = report(MeasureId.PEA_S2_M1, Q1_2014, ep);
        assertThat(late.notAvailable()).isNull();
        assertThat(late.denominatorCount()).isEqualTo(1);
        assertThat(late.numerator()).isEmpty();

        // transmit arrived within them: the patient counts, from that day
        transmitSince("2014-02-13T12:00:00Z");
        assertThat(report(MeasureId.PEA_S2_M1, Q1_2014, ep).numerator().keySet())
                .containsExactly(p);

        // a deployment that never recorded transmit counts nobody and says why
        MeasureDatabase.execute("delete from portal_capability");
        EpMeasureReport never = report(MeasureId.PEA_S2_M1, Q1_2014, ep);
        assertThat(never.numerator()).isEmpty();
        assertThat(never.notAvailable().code()).isEqualTo("TRANSMIT_NOT_AVAILABLE");
        assertThat(never.notAvailable().timelyAccess()).isEqualTo(1);
    }

    private static void transmitSince(String instant) {
        MeasureDatabase.execute(
                "update portal_capability set available_since = timestamptz '"
                        + instant
                        + "' where capability = 'transmit'");
    }

    @Test
    void row29_viewByAPatientOfTwoEpsCountsForBoth() {
        UUID a = f.ep();
        UUID b = f.ep();
        UUID p = f.patient();
        f.visit(p, a, IN, cehrt);
        f.visit(p, b, IN, cehrt);
        f.vdt(p, "PATIENT", "VIEW", IN_AT);
        assertThat(report(MeasureId.PEA_S2_M2, Q1_2014, a).numerator().keySet()).containsExactly(p);
        assertThat(report(MeasureId.PEA_S2_M2, Q1_2014, b).numerator().keySet()).containsExactly(p);
    }

    @Test
    void row30_staffOpeningThePortalViewIsNotCounted() {
        UUID ep = f.ep();
        UUID p = seen(ep);
        f.vdt(p, "STAFF", "VIEW", IN_AT);
        assertThat(report(MeasureId.PEA_S2_M2, Q1_2014, ep).numeratorCount()).isZero();
        f.vdt(p, "PROXY", "DOWNLOAD", IN_AT);
        assertThat(report(MeasureId.PEA_S2_M2, Q1_2014, ep).numeratorCount()).isEqualTo(1);
    }

    @Test
    void row31_viewOnlyBeforeTheReportingYearIsNotCounted() {
        UUID ep = f.ep();
        UUID p = seen(ep);
        f.vdt(p, "PATIENT", "VIEW", LocalDateTime.of(2013, 12, 31, 23, 0));
        assertThat(report(MeasureId.PEA_S2_M2, Q1_2014, ep).numeratorCount()).isZero();
    }

    @Test
    void row32_viewAfterThePeriodBeforeAttestationCountsByDefaultAndIsMarked() {
        UUID ep = f.ep();
        UUID p = seen(ep);
        f.vdt(p, "PATIENT", "TRANSMIT", LocalDateTime.of(2014, 6, 1, 9, 0));
        EpMeasureReport r = report(MeasureId.PEA_S2_M2, Q1_2014, ep);
        assertThat(r.numerator().get(p).outsidePeriod()).isTrue();
        assertThat(r.policies()).containsEntry("peaActionWindow", "REPORTING_YEAR_TO_ATTESTATION");
        // not after the attestation date
        assertThat(
                        report(
                                        MeasureId.PEA_S2_M2,
                                        Q1_2014,
                                        ep,
                                        MeasurePolicies.defaults(),
                                        LocalDate.of(2014, 5, 1))
                                .numeratorCount())
                .isZero();
        MeasurePolicies strict =
                policies(
                        PoolAttribution.ASSIGNED_EP,
                        false,
                        false,
                        false,
                        true,
                        PeaActionWindow.REPORTING_PERIOD);
        assertThat(report(MeasureId.PEA_S2_M2, Q1_2014, ep, strict).numeratorCount()).isZero();
    }

    @Test
    void peaM2_aViewOrDownloadThatShowedNoInformationIsNotCounted() {
        UUID ep = f.ep();
        UUID p = seen(ep);
        // the patient downloaded and printed an empty message history: nothing of their information
        // was shown (§5.2)
        f.vdt(p, "PATIENT", "DOWNLOAD", IN_AT, false);
        f.vdt(p, "PROXY", "VIEW", IN_AT, false);
        EpMeasureReport r = report(MeasureId.PEA_S2_M2, Q1_2014, ep);
        assertThat(r.denominatorCount()).isEqualTo(1);
        assertThat(r.numeratorCount()).isZero();
        // a later download that showed at least one item counts, and only it is named as the
        // qualifying action
        UUID shown = f.vdt(p, "PATIENT", "DOWNLOAD", IN_AT.plusDays(1), true);
        r = report(MeasureId.PEA_S2_M2, Q1_2014, ep);
        assertThat(r.numerator().keySet()).containsExactly(p);
        assertThat(r.numerator().get(p).eventIds()).containsExactly(shown);
    }

    @Test
    void row33_redeliveredMessageFactChangesNothing() {
        UUID ep = f.ep();
        UUID p = seen(ep);
        seen(ep);
        FactRecorder recorder = new FactRecorder(MeasureDatabase.dataSource());
        FactRecorder.MessageFact fact =
                new FactRecorder.MessageFact(
                        UUID.randomUUID(),
                        f.practice,
                        p,
                        UUID.randomUUID(),
                        "Patient",
                        p,
                        "PATIENT",
                        null,
                        true,
                        false,
                        MeasureFacts.at(IN_AT),
                        List.of("Practitioner/" + ep));
        assertThat(recorder.recordMessage(fact, Instant.now())).isTrue();
        assertThat(recorder.recordMessage(fact, Instant.now())).isFalse();
        EpMeasureReport r = report(MeasureId.SM_S2, Q1_2014, ep);
        assertThat(r.numeratorCount()).isEqualTo(1);
        assertThat(r.numerator().get(p).eventIds()).containsExactly(fact.messageId());
        UUID event = UUID.randomUUID();
        assertThat(
                        recorder.recordAssignment(
                                event,
                                fact.messageId(),
                                "Practitioner",
                                ep,
                                MeasureFacts.at(IN_AT)))
                .isTrue();
        assertThat(
                        recorder.recordAssignment(
                                event,
                                fact.messageId(),
                                "Practitioner",
                                ep,
                                MeasureFacts.at(IN_AT)))
                .isFalse();
    }

    @Test
    void row34_receivedAt2330LocalOnTheLastDayCounts() {
        UUID ep = f.ep();
        UUID p = seen(ep);
        // 23:30 in Chicago is 05:30 UTC the next day; the received time governs, not when a
        // consumer handled it
        f.patientToEp(p, ep, LocalDateTime.of(2014, 3, 31, 23, 30));
        assertThat(report(MeasureId.SM_S2, Q1_2014, ep).numeratorCount()).isEqualTo(1);
    }

    @Test
    void row35_poolMessageNeverAssignedCreditsNoEpAndIsListed() {
        UUID ep = f.ep();
        UUID pool = f.pool();
        UUID p = seen(ep);
        UUID q = seen(ep);
        UUID toPool =
                f.message(
                        p,
                        "PATIENT",
                        "Patient",
                        p,
                        MeasureFacts.at(IN_AT),
                        true,
                        null,
                        "CareTeam/" + pool);
        UUID assigned =
                f.message(
                        q,
                        "PATIENT",
                        "Patient",
                        q,
                        MeasureFacts.at(IN_AT),
                        true,
                        null,
                        "CareTeam/" + pool);
        f.assign(assigned, ep, IN_AT.plusHours(2));
        EpMeasureReport r = report(MeasureId.SM_S2, Q1_2014, ep);
        assertThat(r.numerator().keySet()).containsExactly(q);
        assertThat(engine.unattributed(List.of(f.practice), Q1_2014))
                .extracting(MeasureEvaluator.UnattributedMessage::messageId)
                .containsExactly(toPool);
        MeasurePolicies wide =
                MeasurePolicies.defaults().withPoolAttribution(PoolAttribution.PRACTICE_WIDE);
        EpMeasureReport practiceWide = report(MeasureId.SM_S2, Q1_2014, ep, wide);
        assertThat(practiceWide.numerator().keySet()).containsExactlyInAnyOrder(p, q);
        assertThat(practiceWide.policies()).containsEntry("poolAttribution", "PRACTICE_WIDE");
        // an assignment after the period does not credit
        UUID late =
                f.message(
                        p,
                        "PATIENT",
                        "Patient",
                        p,
                        MeasureFacts.at(IN_AT),
                        true,
                        null,
                        "CareTeam/" + pool);
        f.assign(late, ep, LocalDateTime.of(2014, 4, 2, 9, 0));
        assertThat(engine.unattributed(List.of(f.practice), Q1_2014))
                .extracting(MeasureEvaluator.UnattributedMessage::messageId)
                .containsExactlyInAnyOrder(toPool, late);
    }

    @Test
    void row36_autoReplyIsNotEpSentByDefault() {
        UUID ep = f.ep();
        UUID device = UUID.randomUUID();
        UUID p = f.patient();
        f.visit(p, ep, LocalDate.of(2017, 5, 2), cehrt);
        UUID asked = f.patientToEp(p, ep, LocalDateTime.of(2017, 5, 3, 9, 0));
        f.message(
                p,
                "AUTOMATIC",
                "Device",
                device,
                MeasureFacts.at(LocalDateTime.of(2017, 5, 3, 9, 1)),
                true,
                asked,
                "Patient/" + p);
        ReportingPeriod y2017 =
                new ReportingPeriod(LocalDate.of(2017, 1, 1), LocalDate.of(2017, 12, 31));
        assertThat(report(MeasureId.SM_MS2_2017, y2017, ep).numeratorCount()).isZero();
        MeasurePolicies system =
                policies(
                        PoolAttribution.ASSIGNED_EP,
                        false,
                        false,
                        true,
                        true,
                        PeaActionWindow.REPORTING_YEAR_TO_ATTESTATION);
        assertThat(report(MeasureId.SM_MS2_2017, y2017, ep, system).numeratorCount()).isEqualTo(1);
        // and never patient-sent under SM-S2
        assertThat(
                        report(
                                        MeasureId.SM_S2,
                                        new ReportingPeriod(
                                                LocalDate.of(2017, 4, 1),
                                                LocalDate.of(2017, 6, 30)),
                                        ep)
                                .numerator())
                .containsOnlyKeys(p);
    }

    @Test
    void mergedRecordsCountOnceAndTestPatientsNever() {
        UUID ep = f.ep();
        UUID survivor = f.patient();
        UUID duplicate = f.patient();
        f.merge(duplicate, survivor);
        f.visit(survivor, ep, IN, cehrt);
        f.visit(duplicate, ep, IN.plusDays(3), cehrt);
        f.patientToEp(duplicate, ep, IN_AT);
        UUID test = f.patient(true);
        f.visit(test, ep, IN, cehrt);
        f.patientToEp(test, ep, IN_AT);
        EpMeasureReport r = report(MeasureId.SM_S2, Q1_2014, ep);
        assertThat(r.denominator().keySet()).containsExactly(survivor);
        assertThat(r.denominator().get(survivor).encounterIds()).hasSize(2);
        assertThat(r.numerator().keySet()).containsExactly(survivor);
    }

    @Test
    void staffSendingOnBehalfOfTheEpCountsByDefault() {
        UUID ep = f.ep();
        UUID p = f.patient();
        f.visit(p, ep, LocalDate.of(2017, 5, 2), cehrt);
        f.message(
                p,
                "STAFF_FOR_EP",
                "Practitioner",
                ep,
                MeasureFacts.at(LocalDateTime.of(2017, 5, 3, 9, 0)),
                true,
                null,
                "Patient/" + p);
        ReportingPeriod q2 =
                new ReportingPeriod(LocalDate.of(2017, 4, 1), LocalDate.of(2017, 6, 29));
        assertThat(report(MeasureId.SM_MS2_2017, q2, ep).numeratorCount()).isEqualTo(1);
        MeasurePolicies no =
                policies(
                        PoolAttribution.ASSIGNED_EP,
                        false,
                        false,
                        false,
                        false,
                        PeaActionWindow.REPORTING_YEAR_TO_ATTESTATION);
        assertThat(report(MeasureId.SM_MS2_2017, q2, ep, no).numeratorCount()).isZero();
    }

    @Test
    void modifiedStage2NumeratorMayFallOutsideA90DayPeriodWithinTheYear() {
        UUID ep = f.ep();
        UUID p = f.patient();
        f.visit(p, ep, LocalDate.of(2017, 5, 2), cehrt);
        f.epToPatient(ep, p, LocalDateTime.of(2017, 11, 3, 9, 0), null);
        ReportingPeriod q2 =
                new ReportingPeriod(LocalDate.of(2017, 4, 1), LocalDate.of(2017, 6, 29));
        assertThat(report(MeasureId.SM_MS2_2017, q2, ep).numeratorCount()).isEqualTo(1);
        // Stage 3 / PI 2019+: bound to the period
        UUID q = f.patient();
        f.visit(q, ep, LocalDate.of(2019, 5, 2), cehrt);
        f.epToPatient(ep, q, LocalDateTime.of(2019, 11, 3, 9, 0), null);
        assertThat(
                        report(
                                        MeasureId.SM_S3,
                                        new ReportingPeriod(
                                                LocalDate.of(2019, 4, 1),
                                                LocalDate.of(2019, 6, 29)),
                                        ep)
                                .numeratorCount())
                .isZero();
    }

    @Test
    void thresholdsCompareExactly() {
        assertThat(Threshold.moreThanPercent(5).isMet(1, 20, false)).isFalse();
        assertThat(Threshold.moreThanPercent(5).isMet(2, 39, false)).isTrue();
        assertThat(Threshold.moreThanPercent(50).isMet(1, 2, false)).isFalse();
        assertThat(Threshold.moreThanPercent(50).isMet(2, 3, false)).isTrue();
        assertThat(Threshold.moreThanPercent(5).isMet(0, 0, false)).isFalse();
        assertThat(Threshold.moreThanPercent(5).shortfall(0, 100)).isEqualTo(6);
        assertThat(Threshold.moreThanPercent(50).shortfall(0, 10)).isEqualTo(6);
    }

    @Test
    void badPeriodsAndFlagsAreRefused() {
        assertThatThrownBy(() -> ReportingPeriod.parse("2014-03-31", "2014-01-01"))
                .isInstanceOf(BluepostException.class)
                .hasMessageContaining("reversed");
        assertThatThrownBy(() -> ReportingPeriod.parse("2014-13-01", "2014-12-31"))
                .isInstanceOf(BluepostException.class);
        assertThatThrownBy(() -> ReportingPeriod.parse("yesterday", "2014-12-31"))
                .isInstanceOf(BluepostException.class);
        assertThatThrownBy(
                        () ->
                                MeasurePolicies.from(
                                        name -> name.equals("poolAttribution") ? "EVERYONE" : null))
                .isInstanceOf(BluepostException.class)
                .hasMessageContaining("ASSIGNED_EP");
    }
}
