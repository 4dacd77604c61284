package dev.bluepost.measurement.fhir;

import dev.bluepost.measurement.engine.EpMeasureReport;
import dev.bluepost.measurement.engine.EpMeasureReport.PatientEntry;
import dev.bluepost.measurement.engine.FactFreshness;
import dev.bluepost.measurement.engine.MeasureId;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/** FHIR views of the measures and their reports (docs/fhir.md §14; docs/measurement.md "Outputs" for the extensions). */
public final class MeasureReports {

    public static final String BASE = "https://fhir.bluepost.dev";
    public static final String POPULATION_SYSTEM =
            "http://terminology.hl7.org/CodeSystem/measure-population";
    public static final String EXT_THRESHOLD_MET = BASE + "/StructureDefinition/threshold-met";
    public static final String EXT_THRESHOLD = BASE + "/StructureDefinition/threshold";
    public static final String EXT_EXCLUSION = BASE + "/StructureDefinition/exclusion-eligibility";
    public static final String EXT_POLICY = BASE + "/StructureDefinition/policy-flag";
    public static final String EXT_CEHRT = BASE + "/StructureDefinition/cehrt-location-share";
    public static final String EXT_WARNING = BASE + "/StructureDefinition/reporting-period-warning";
    public static final String EXT_FULLY_ENABLED = BASE + "/StructureDefinition/fully-enabled";
    public static final String EXT_ENCOUNTER = BASE + "/StructureDefinition/qualifying-encounter";
    public static final String EXT_EVENT = BASE + "/StructureDefinition/qualifying-event";
    public static final String EXT_OUTSIDE_PERIOD =
            BASE + "/StructureDefinition/action-outside-period";
    public static final String EXT_NOT_AVAILABLE =
            BASE + "/StructureDefinition/measure-not-available";
    public static final String EXT_FACTS_COMPLETE_UP_TO =
            BASE + "/StructureDefinition/facts-complete-up-to";
    public static final String EXT_FACTS_PENDING = BASE + "/StructureDefinition/facts-pending";

    /** Id of the contained OperationOutcome that warns about facts still on their way. */
    public static final String FACTS_PENDING_OUTCOME = "facts-pending";

    private MeasureReports() {}

    public static Measure measure(MeasureId id) {
        Measure m = new Measure();
        m.setId(id.id());
        m.setUrl(BASE + "/Measure/" + id.id());
        m.setName(id.name());
        m.setTitle(id.title());
        m.setStatus(Enumerations.PublicationStatus.ACTIVE);
        m.setScoring(
                new CodeableConcept(
                        new Coding(
                                "http://terminology.hl7.org/CodeSystem/measure-scoring",
                                "proportion",
                                "Proportion")));
        m.setImprovementNotation(
                new CodeableConcept(
                        new Coding(
                                "http://terminology.hl7.org/CodeSystem/measure-improvement-notation",
                                "increase",
                                "Increased score indicates improvement")));
        Measure.MeasureGroupComponent group = m.addGroup();
        for (String code :
                new String[] {
                    "initial-population", "denominator", "denominator-exclusion", "numerator"
                }) {
            group.addPopulation()
                    .setCode(new CodeableConcept(new Coding(POPULATION_SYSTEM, code, null)));
        }
        return m;
    }

    /**
     * @param freshness up to when the report's facts are complete: the extension {@code facts-complete-up-to} always;
     *                  with messages still on their way, a contained OperationOutcome (a warning) and {@code facts-pending}
     */
    public static MeasureReport report(
            EpMeasureReport r, boolean subjectList, FactFreshness.Status freshness) {
        MeasureReport report = new MeasureReport();
        report.setId(UUID.randomUUID().toString());
        report.setStatus(MeasureReport.MeasureReportStatus.COMPLETE);
        report.setType(
                subjectList
                        ? MeasureReport.MeasureReportType.SUBJECTLIST
                        : MeasureReport.MeasureReportType.SUMMARY);
        report.setMeasure(BASE + "/Measure/" + r.measure().id());
        report.setSubject(new Reference("Practitioner/" + r.practitionerId()).setDisplay(r.name()));
        report.setDate(Date.from(r.asOf()));
        Period period = new Period();
        period.setStartElement(new DateTimeType(r.period().start().toString()));
        period.setEndElement(new DateTimeType(r.period().end().toString()));
        report.setPeriod(period);
        MeasureReport.MeasureReportGroupComponent group = report.addGroup();
        boolean lists = subjectList && r.patientLists();
        population(
                report,
                group,
                "initial-population",
                r.counts().initialPopulation(),
                r.initialPopulation(),
                lists,
                r.measure().isSecureMessaging());
        population(
                report,
                group,
                "denominator",
                r.counts().denominator(),
                r.denominator(),
                lists,
                r.measure().isSecureMessaging());
        population(
                report,
                group,
                "denominator-exclusion",
                r.counts().denominatorExclusion(),
                r.denominatorExclusion(),
                lists,
                r.measure().isSecureMessaging());
        population(
                report,
                group,
                "numerator",
                r.counts().numerator(),
                r.numerator(),
                lists,
                r.measure().isSecureMessaging());
        if (r.score() != null) {
            group.setMeasureScore(new Quantity().setValue(r.score()));
        }
        group.addExtension(EXT_THRESHOLD_MET, new BooleanType(r.thresholdMet()));
        group.addExtension(EXT_THRESHOLD, new StringType(r.threshold().label()));
        if (r.notAvailable() != null) {
            // the measure cannot count anyone on this platform (PEA-S2-M1 without transmit,
            // docs/measures.md §5.1)
            Extension e = group.addExtension().setUrl(EXT_NOT_AVAILABLE);
            e.addExtension("code", new CodeType(r.notAvailable().code()));
            e.addExtension("reason", new StringType(r.notAvailable().reason()));
            e.addExtension("timelyAccess", new IntegerType((int) r.notAvailable().timelyAccess()));
        }
        if (r.threshold().kind() == dev.bluepost.measurement.engine.Threshold.Kind.FULLY_ENABLED) {
            group.addExtension(EXT_FULLY_ENABLED, new BooleanType(r.fullyEnabled()));
        }
        for (EpMeasureReport.Exclusion exclusion : r.exclusions()) {
            Extension e = group.addExtension().setUrl(EXT_EXCLUSION);
            e.addExtension("code", new CodeType(exclusion.code()));
            e.addExtension("eligible", new BooleanType(exclusion.eligible()));
            e.addExtension("evidence", new StringType(exclusion.evidence()));
        }
        Extension cehrt = group.addExtension().setUrl(EXT_CEHRT);
        cehrt.addExtension("cehrtEncounters", new IntegerType((int) r.cehrt().cehrtEncounters()));
        cehrt.addExtension("encounters", new IntegerType((int) r.cehrt().encounters()));
        cehrt.addExtension("eligible", new BooleanType(r.cehrt().eligible()));
        if (r.cehrt().flag() != null) {
            cehrt.addExtension("flag", new CodeType(r.cehrt().flag()));
        }
        for (Map.Entry<String, String> flag : r.policies().entrySet()) {
            Extension e = report.addExtension().setUrl(EXT_POLICY);
            e.addExtension("name", new CodeType(flag.getKey()));
            e.addExtension("value", new StringType(flag.getValue()));
        }
        for (String warning : r.warnings()) {
            report.addExtension(EXT_WARNING, new StringType(warning));
        }
        freshness(report, freshness);
        return report;
    }

    private static void freshness(MeasureReport report, FactFreshness.Status freshness) {
        report.addExtension(
                EXT_FACTS_COMPLETE_UP_TO, new InstantType(Date.from(freshness.completeUpTo())));
        if (freshness.complete()) {
            return;
        }
        OperationOutcome outcome = new OperationOutcome();
        outcome.setId(FACTS_PENDING_OUTCOME);
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.WARNING)
                .setCode(OperationOutcome.IssueType.INCOMPLETE)
                .setDiagnostics(
                        freshness.pendingText()
                                + ". Every message received before "
                                + freshness.completeUpTo()
                                + " is counted; evaluate the measure again in a few seconds.");
        report.addContained(outcome);
        Extension pending = report.addExtension().setUrl(EXT_FACTS_PENDING);
        pending.addExtension("messages", new IntegerType((int) freshness.pendingMessages()));
        pending.addExtension("routings", new IntegerType((int) freshness.pendingRoutings()));
        pending.addExtension("outcome", new Reference("#" + FACTS_PENDING_OUTCOME));
    }

    private static void population(
            MeasureReport report,
            MeasureReport.MeasureReportGroupComponent group,
            String code,
            long count,
            Map<UUID, PatientEntry> patients,
            boolean subjectList,
            boolean messages) {
        MeasureReport.MeasureReportGroupPopulationComponent population =
                group.addPopulation()
                        .setCode(new CodeableConcept(new Coding(POPULATION_SYSTEM, code, null)))
                        .setCount((int) count);
        if (!subjectList) {
            return;
        }
        ListResource list = new ListResource();
        list.setId(code);
        list.setStatus(ListResource.ListStatus.CURRENT);
        list.setMode(ListResource.ListMode.SNAPSHOT);
        list.setTitle(code);
        for (PatientEntry entry : patients.values()) {
            ListResource.ListEntryComponent item =
                    list.addEntry().setItem(new Reference("Patient/" + entry.patientId()));
            entry.encounterIds()
                    .forEach(
                            id ->
                                    item.addExtension(
                                            EXT_ENCOUNTER, new Reference("Encounter/" + id)));
            entry.eventIds()
                    .forEach(
                            id ->
                                    item.addExtension(
                                            EXT_EVENT,
                                            messages
                                                    ? new Reference("Communication/" + id)
                                                    : new StringType(id.toString())));
            if (entry.outsidePeriod()) {
                item.addExtension(EXT_OUTSIDE_PERIOD, new BooleanType(true));
            }
        }
        report.addContained(list);
        population.setSubjectResults(new Reference("#" + code));
    }
}
