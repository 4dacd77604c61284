package dev.bluepost.measurement.engine;

import java.util.Arrays;
import java.util.Optional;

/**
 * The measures the platform computes (docs/fhir.md §14, docs/measures.md §1), with what their
 * numerator counts, their threshold and the window their numerator action must fall in.
 */
public enum MeasureId {
    SM_S2(
            "sm-s2",
            "Stage 2 EP Core 17: secure messaging (patient-sent, > 5 %)",
            Family.PATIENT_SENT),
    SM_MS2_2015(
            "sm-ms2-2015",
            "Modified Stage 2 Objective 9 (2015): secure messaging fully enabled",
            Family.EP_SENT),
    SM_MS2_2016(
            "sm-ms2-2016",
            "Modified Stage 2 Objective 9 (2016): EP-sent secure message, at least one patient",
            Family.EP_SENT),
    SM_MS2_2017(
            "sm-ms2-2017",
            "Modified Stage 2 Objective 9 (2017): EP-sent secure message, > 5 %",
            Family.EP_SENT),
    SM_S3(
            "sm-s3",
            "Stage 3 Objective 6 Measure 2: secure messaging (EP-sent, or provider-to-provider with the patient)",
            Family.EP_SENT),
    PEA_S2_M1(
            "pea-s2-m1",
            "Stage 2 EP Core 7 measure 1: timely online access (> 50 %)",
            Family.PEA_ACCESS),
    PEA_S2_M2(
            "pea-s2-m2",
            "Stage 2 EP Core 7 measure 2: patients view, download or transmit (> 5 %)",
            Family.PEA_VDT);

    /** What the numerator counts. */
    public enum Family {
        /** Patients (or representatives) who sent a secure message to the EP, inside the period. */
        PATIENT_SENT,
        /** Patients to whom the EP sent a secure message (new, or a reply to theirs). */
        EP_SENT,
        /** Patients given timely online access (4 business days). */
        PEA_ACCESS,
        /** Patients (or representatives) who viewed, downloaded or transmitted. */
        PEA_VDT
    }

    private final String id;
    private final String title;
    private final Family family;

    MeasureId(String id, String title, Family family) {
        this.id = id;
        this.title = title;
        this.family = family;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public Family family() {
        return family;
    }

    public boolean isSecureMessaging() {
        return family == Family.PATIENT_SENT || family == Family.EP_SENT;
    }

    public static Optional<MeasureId> of(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst();
    }

    /** The threshold in force for a reporting period that starts in {@code programYear}. */
    public Threshold threshold(int programYear) {
        return switch (this) {
            case SM_S2, SM_MS2_2017, PEA_S2_M2 -> Threshold.moreThanPercent(5);
            case SM_MS2_2015 -> Threshold.fullyEnabled();
            case SM_MS2_2016 -> Threshold.atLeastOnePatient();
            case PEA_S2_M1 -> Threshold.moreThanPercent(50);
            // docs/measures.md §4: 2016 at least one message, 2017 5 %, 25 % as finalized in 2015
            // (2018, UNCONFIRMED), 5 % in the 2019+ Medicaid PI spec
            case SM_S3 ->
                    programYear <= 2016
                            ? Threshold.atLeastOnePatient()
                            : programYear == 2017
                                    ? Threshold.moreThanPercent(5)
                                    : programYear == 2018
                                            ? Threshold.moreThanPercent(25)
                                            : Threshold.moreThanPercent(5);
        };
    }

    /** Broadband speed of the exclusion: 3 Mbps for Stage 2 (2014 and before), 4 Mbps from 2015 (docs/measures.md §6.2, §10 row 16). */
    public int broadbandMbps(int programYear) {
        return programYear >= 2015 ? 4 : 3;
    }

    /** The exclusion for "no office visits" applies to the secure-messaging measures (docs/measures.md §6.1). */
    public boolean hasNoOfficeVisitsExclusion() {
        return isSecureMessaging();
    }

    /** The broadband exclusion: every secure-messaging measure and PEA measure 2 only (docs/measures.md §5.2, §6.2). */
    public boolean hasBroadbandExclusion() {
        return isSecureMessaging() || this == PEA_S2_M2;
    }

    /** The "neither orders nor creates" exclusion of both PEA measures (docs/measures.md §5.1, §6.3). */
    public boolean hasNeitherOrdersNorCreatesExclusion() {
        return this == PEA_S2_M1 || this == PEA_S2_M2;
    }
}
