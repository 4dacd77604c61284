package dev.bluepost.measurement.fhir;

import dev.bluepost.measurement.engine.EpMeasureReport;
import dev.bluepost.measurement.engine.EpMeasureReport.PatientEntry;
import dev.bluepost.measurement.engine.MeasureId;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

import java.util.Date;
import java.util.Map;
import java.util.UUID;

/** FHIR views of the measures and their reports (fhir-api.md "Measures", docs/fhir.md for the extensions). */
public final class MeasureReports {

    public static final String BASE = "https://fhir.bluepost.dev";
    public static final String POPULATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/measure-population";
    public static final String EXT_THRESHOLD_MET = BASE + "/StructureDefinition/threshold-met";
    public static final String EXT_THRESHOLD = BASE + "/StructureDefinition/threshold";
    public static final String EXT_EXCLUSION = BASE + "/StructureDefinition/exclusion-eligibility";
    public static final String EXT_POLICY = BASE + "/StructureDefinition/policy-flag";
    public static final String EXT_CEHRT = BASE + "/StructureDefinition/cehrt-location-share";
    public static final String EXT_WARNING = BASE + "/StructureDefinition/reporting-period-warning";
    public static final String EXT_FULLY_ENABLED = BASE + "/StructureDefinition/fully-enabled";
    public static final String EXT_ENCOUNTER = BASE + "/StructureDefinition/qualifying-encounter";
    public static final String EXT_EVENT = BASE + "/StructureDefinition/qualifying-event";
    public static final String EXT_OUTSIDE_PERIOD = BASE + "/StructureDefinition/action-outside-period";

    private MeasureReports() {
    }

    public static Measure measure(MeasureId id) {
        Measure m = new Measure();
        m.setId(id.id());
        m.setUrl(BASE + "/Measure/" + id.id());
        m.setName(id.name());
        m.setTitle(id.title());
        m.setStatus(Enumerations.PublicationStatus.ACTIVE);
        m.setScoring(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/measure-scoring", "proportion", "Proportion")));
        m.setImprovementNotation(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/measure-improvement-notation", "increase", "Increased score indicates improvement")));
        Measure.MeasureGroupComponent group = m.addGroup();
        for (String code : new String[]{"initial-population", "denominator", "denominator-exclusion", "numerator"}) {
            group.addPopulation().setCode(new CodeableConcept(new Coding(POPULATION_SYSTEM, code, null)));
        }
        return m;
    }

    public static MeasureReport report(EpMeasureReport r, boolean subjectList) {
        MeasureReport report = new MeasureReport();
        report.setId(UUID.randomUUID().toString());
        report.setStatus(MeasureReport.MeasureReportStatus.COMPLETE);
        report.setType(subjectList ? MeasureReport.MeasureReportType.SUBJECTLIST : MeasureReport.MeasureReportType.SUMMARY);
        report.setMeasure(BASE + "/Measure/" + r.measure().id());
        report.setSubject(new Reference("Practitioner/" + r.practitionerId()).setDisplay(r.name()));
        report.setDate(Date.from(r.asOf()));
        Period period = new Period();
        period.setStartElement(new DateTimeType(r.period().start().toString()));
        period.setEndElement(new DateTimeType(r.period().end().toString()));
        report.setPeriod(period);
        MeasureReport.MeasureReportGroupComponent group = report.addGroup();
        boolean lists = subjectList && r.patientLists();
        population(report, group, "initial-population", r.counts().initialPopulation(), r.initialPopulation(), lists, r.measure().isSecureMessaging());
        population(report, group, "denominator", r.counts().denominator(), r.denominator(), lists, r.measure().isSecureMessaging());
        population(report, group, "denominator-exclusion", r.counts().denominatorExclusion(), r.denominatorExclusion(), lists, r.measure().isSecureMessaging());
        population(report, group, "numerator", r.counts().numerator(), r.numerator(), lists, r.measure().isSecureMessaging());
        if (r.score() != null) {
            group.setMeasureScore(new Quantity().setValue(r.score()));
        }
        group.addExtension(EXT_THRESHOLD_MET, new BooleanType(r.thresholdMet()));
        group.addExtension(EXT_THRESHOLD, new StringType(r.threshold().label()));
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
        return report;
    }

    private static void population(MeasureReport report, MeasureReport.MeasureReportGroupComponent group, String code, long count,
                                   Map<UUID, PatientEntry> patients, boolean subjectList, boolean messages) {
        MeasureReport.MeasureReportGroupPopulationComponent population = group.addPopulation()
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
            ListResource.ListEntryComponent item = list.addEntry().setItem(new Reference("Patient/" + entry.patientId()));
            entry.encounterIds().forEach(id -> item.addExtension(EXT_ENCOUNTER, new Reference("Encounter/" + id)));
            entry.eventIds().forEach(id -> item.addExtension(EXT_EVENT, messages ? new Reference("Communication/" + id) : new StringType(id.toString())));
            if (entry.outsidePeriod()) {
                item.addExtension(EXT_OUTSIDE_PERIOD, new BooleanType(true));
            }
        }
        report.addContained(list);
        population.setSubjectResults(new Reference("#" + code));
    }

}
