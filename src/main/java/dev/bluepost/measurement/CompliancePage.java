package dev.bluepost.measurement;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.measurement.MeasurementService.ReportRequest;
import dev.bluepost.measurement.engine.EpMeasureReport;
import dev.bluepost.measurement.engine.EpMeasureReport.PatientEntry;
import dev.bluepost.measurement.engine.MeasureEvaluator;
import dev.bluepost.measurement.engine.MeasureId;
import dev.bluepost.measurement.engine.MeasurePolicies;
import dev.bluepost.measurement.engine.ReportingPeriod;
import dev.bluepost.measurement.engine.Threshold;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.i18n.PracticeTimeFormat;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The compliance officer's Meaningful Use dashboard: choose measure, period and policy flags; the
 * per-EP table and a chart of every EP's percentage against the threshold; per-EP drill-down to the
 * patients behind the numbers with the qualifying encounter and message ids and the what-if; the
 * unattributed pool messages; CSV of every table and a PDF attestation worksheet per EP.
 * Every view of patient lists is audited.
 */
@Path("/compliance")
@RolesAllowed(Roles.COMPLIANCE)
public class CompliancePage {

    /** A row of a patient list: the patient and what put them there (ids for the CSV, dates for the page). */
    public record PatientRow(
            UUID id,
            String name,
            String born,
            List<UUID> encounterIds,
            List<UUID> eventIds,
            boolean outsidePeriod,
            String visitDays,
            String eventDays) {

        public String encounters() {
            return encounterIds.stream().map(UUID::toString).collect(Collectors.joining(" "));
        }

        public String events() {
            return eventIds.stream().map(UUID::toString).collect(Collectors.joining(" "));
        }
    }

    /** What the dashboard was asked for, and the query string that asks for it again. */
    public record Selection(
            MeasureId measure, ReportingPeriod period, MeasurePolicies policies, String query) {

        public Map<String, String> flags() {
            return policies.asMap();
        }

        /** Whether a counting choice differs from its default (the page then shows the choices open). */
        public boolean customized() {
            return !policies.equals(MeasurePolicies.defaults());
        }
    }

    /** The selection in words: the measure's title, the period's dates and the threshold. */
    public record Heading(
            String measure, String period, String threshold, String from, String to) {}

    /** A choice of a select. */
    public record Option(String value, String label, boolean selected) {}

    /** A counting choice (policy flag) in words: its request parameter, name, one-line explanation and choices. */
    public record Flag(String param, String label, String hint, List<Option> options) {

        public String chosen() {
            return options.stream()
                    .filter(Option::selected)
                    .map(Option::label)
                    .findFirst()
                    .orElse("");
        }
    }

    /** An exclusion in words. */
    public record ExclusionRow(String label, boolean eligible, String evidence) {}

    /** One EP's line of the dashboard, in words. */
    public record EpRow(
            EpMeasureReport report,
            String result,
            List<String> exclusions,
            String cehrt,
            boolean cehrtTooLow) {

        /** Modified Stage 2 (2015): met by messaging being fully turned on, not by a share of patients. */
        public boolean fullyEnabledMeasure() {
            return report.threshold().kind() == Threshold.Kind.FULLY_ENABLED;
        }
    }

    /**
     * Up to when a report's facts are complete, for the page: the time in the practice's zone, and how many messages and
     * routings were accepted but are not counted yet.
     */
    public record Freshness(String countedUpTo, boolean complete, long pending) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance dashboard(
                Selection selection,
                Heading heading,
                List<Option> measures,
                List<Flag> flags,
                List<EpRow> rows,
                String chart,
                List<String> warnings,
                Freshness freshness,
                boolean notAvailable);

        static native TemplateInstance ep(
                Selection selection,
                Heading heading,
                List<Flag> flags,
                EpMeasureReport report,
                EpRow row,
                List<ExclusionRow> exclusions,
                List<String> warnings,
                String asOf,
                List<PatientRow> numerator,
                List<PatientRow> denominator,
                List<PatientRow> excluded,
                List<PatientRow> invite,
                Freshness freshness);

        static native TemplateInstance unattributed(
                Selection selection, Heading heading, List<UnattributedRow> rows);
    }

    /** An unattributed pool message as the page shows it. */
    public record UnattributedRow(String received, String patient, String born, String pools) {}

    @Inject CurrentActor currentActor;

    @Inject MeasurementService measurement;

    @Inject DirectoryService directory;

    @Inject AuditRecorder audit;

    @Inject Clock clock;

    @Inject ReaderLanguage language;

    @Context UriInfo uri;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance dashboard() {
        Selection selection = selection();
        MeasurementService.Reports run = reports(selection, null);
        List<EpMeasureReport> reports = run.reports();
        ComplianceMessages words = words();
        List<EpRow> rows = reports.stream().map(r -> epRow(r, words)).toList();
        List<Option> measures =
                Arrays.stream(MeasureId.values())
                        .map(
                                m ->
                                        new Option(
                                                m.id(),
                                                measureTitle(m, words),
                                                m == selection.measure()))
                        .toList();
        return Templates.dashboard(
                selection,
                heading(selection, reports, words),
                measures,
                flags(selection.policies(), words),
                rows,
                ComplianceChart.svg(reports, chartWords(reports, words)),
                periodWarnings(selection.period(), selection.measure(), words),
                freshness(run),
                !reports.isEmpty() && reports.get(0).notAvailable() != null);
    }

    @GET
    @Path("export.csv")
    @Produces("text/csv")
    public Response dashboardCsv() {
        Selection selection = selection();
        MeasurementService.Reports run = reports(selection, null);
        StringBuilder csv = new StringBuilder(header(selection, run));
        csv.append(
                "ep,npi,numerator,denominator,percent,threshold,met,eligible_exclusions,cehrt_encounters,encounters,cehrt_eligible,patients_short,not_available\r\n");
        for (EpMeasureReport r : run.reports()) {
            csv.append(
                    Csv.row(
                            r.name(),
                            r.npi(),
                            r.numeratorCount(),
                            r.denominatorCount(),
                            r.percent(),
                            r.threshold().label(),
                            r.thresholdMet() ? "met" : "not met",
                            r.eligibleExclusions().stream()
                                    .map(EpMeasureReport.Exclusion::code)
                                    .collect(Collectors.joining(" ")),
                            r.cehrt().cehrtEncounters(),
                            r.cehrt().encounters(),
                            r.cehrt().eligible(),
                            r.notAvailable() == null ? r.shortfall() : "",
                            r.notAvailable() == null ? "" : r.notAvailable().reason()));
        }
        audit.record(
                currentActor.get(),
                AuditEntry.of(AuditAction.EXPORT)
                        .on("MeasureReport", null)
                        .practice(currentActor.get().practiceId()));
        return csv(
                csv,
                "measure-" + selection.measure().id() + "-" + selection.period().start() + ".csv");
    }

    @GET
    @Path("ep/{id}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance ep(@PathParam("id") String id) {
        Selection selection = selection();
        MeasurementService.Reports run = reports(selection, epId(id));
        EpMeasureReport report = run.reports().get(0);
        Map<UUID, PatientView> patients = patients(report.initialPopulation().keySet());
        MeasurementService.FactDates dates = dates(report);
        audit.record(
                currentActor.get(),
                AuditEntry.of(AuditAction.READ)
                        .on("MeasureReport", report.practitionerId())
                        .practice(currentActor.get().practiceId()));
        ComplianceMessages words = words();
        PracticeTimeFormat time = time();
        return Templates.ep(
                selection,
                heading(selection, run.reports(), words),
                flags(selection.policies(), words),
                report,
                epRow(report, words),
                exclusions(report, words),
                reportWarnings(report, words),
                time.when(report.asOf()),
                rows(report.numerator(), patients, dates, time, words),
                rows(report.denominator(), patients, dates, time, words),
                rows(report.denominatorExclusion(), patients, dates, time, words),
                rows(invite(report), patients, dates, time, words),
                freshness(run));
    }

    @GET
    @Path("ep/{id}/{list}.csv")
    @Produces("text/csv")
    public Response epCsv(@PathParam("id") String id, @PathParam("list") String list) {
        Selection selection = selection();
        MeasurementService.Reports run = reports(selection, epId(id));
        EpMeasureReport report = run.reports().get(0);
        Map<UUID, PatientEntry> patients =
                switch (list) {
                    case "numerator" -> report.numerator();
                    case "denominator" -> report.denominator();
                    case "denominator-exclusion" -> report.denominatorExclusion();
                    case "invite" -> invite(report);
                    default -> throw BluepostException.notFound("list", list);
                };
        Map<UUID, String> names = patientNames(report.initialPopulation().keySet());
        StringBuilder csv = new StringBuilder(header(selection, run));
        csv.append("# ep,")
                .append(Csv.escape(report.name()))
                .append(",npi,")
                .append(report.npi())
                .append("\r\n");
        if (report.notAvailable() != null) {
            csv.append("# not available,")
                    .append(Csv.escape(report.notAvailable().reason()))
                    .append("\r\n");
        }
        csv.append("patient_id,patient,encounter_ids,event_ids,action_outside_period\r\n");
        for (PatientEntry p : sortedByName(patients, names)) {
            csv.append(
                    Csv.row(
                            p.patientId(),
                            names.getOrDefault(p.patientId(), ""),
                            ids(p.encounterIds()),
                            ids(p.eventIds()),
                            p.outsidePeriod()));
        }
        audit.record(
                currentActor.get(),
                AuditEntry.of(AuditAction.EXPORT)
                        .on("MeasureReport", report.practitionerId())
                        .practice(currentActor.get().practiceId()));
        return csv(csv, list + "-" + report.npi() + "-" + selection.measure().id() + ".csv");
    }

    @GET
    @Path("ep/{id}/worksheet.pdf")
    @Produces("application/pdf")
    public Response worksheet(@PathParam("id") String id) {
        Selection selection = selection();
        MeasurementService.Reports run = reports(selection, epId(id));
        EpMeasureReport report = run.reports().get(0);
        ComplianceMessages words = words();
        byte[] pdf =
                AttestationWorksheet.render(
                        new AttestationWorksheet.Content(
                                report,
                                words,
                                measureTitle(report.measure(), words),
                                heading(selection, run.reports(), words),
                                epRow(report, words),
                                exclusions(report, words),
                                flags(selection.policies(), words),
                                reportWarnings(report, words),
                                directory
                                        .practice(currentActor.get().practiceId())
                                        .map(p -> p.name())
                                        .orElse(""),
                                time().when(report.asOf()),
                                freshness(run)));
        audit.record(
                currentActor.get(),
                AuditEntry.of(AuditAction.PRINT)
                        .on("MeasureReport", report.practitionerId())
                        .practice(currentActor.get().practiceId()));
        return Response.ok(pdf, "application/pdf")
                .header(
                        "Content-Disposition",
                        "attachment; filename=\"worksheet-"
                                + report.npi()
                                + "-"
                                + selection.measure().id()
                                + ".pdf\"")
                .build();
    }

    @GET
    @Path("unattributed")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance unattributed() {
        Selection selection = selection();
        List<MeasureEvaluator.UnattributedMessage> messages =
                measurement.unattributed(selection.period(), currentActor.get(), null);
        Map<UUID, PatientView> patients =
                patients(
                        messages.stream()
                                .map(MeasureEvaluator.UnattributedMessage::patientId)
                                .toList());
        PracticeTimeFormat time = time();
        ComplianceMessages words = words();
        List<UnattributedRow> rows =
                messages.stream()
                        .map(
                                m -> {
                                    PatientView p = patients.get(m.patientId());
                                    return new UnattributedRow(
                                            time.when(m.receivedAt()),
                                            p == null ? words.unknown_patient() : p.displayName(),
                                            p == null ? "" : time.day(p.birthDate()),
                                            m.poolIds().stream()
                                                    .map(
                                                            pool ->
                                                                    directory
                                                                            .pool(pool)
                                                                            .map(v -> v.name())
                                                                            .orElse(""))
                                                    .filter(n -> !n.isEmpty())
                                                    .collect(Collectors.joining(", ")));
                                })
                        .toList();
        return Templates.unattributed(selection, heading(selection, List.of(), words), rows);
    }

    @GET
    @Path("unattributed.csv")
    @Produces("text/csv")
    public Response unattributedCsv() {
        Selection selection = selection();
        List<MeasureEvaluator.UnattributedMessage> messages =
                measurement.unattributed(selection.period(), currentActor.get(), null);
        Map<UUID, String> names =
                patientNames(
                        messages.stream()
                                .map(MeasureEvaluator.UnattributedMessage::patientId)
                                .toList());
        StringBuilder csv = new StringBuilder(header(selection, null));
        csv.append("message_id,patient_id,patient,pool_ids,received_at\r\n");
        for (MeasureEvaluator.UnattributedMessage m : messages) {
            csv.append(
                    Csv.row(
                            m.messageId(),
                            m.patientId(),
                            names.get(m.patientId()),
                            m.poolIds().stream()
                                    .map(UUID::toString)
                                    .collect(Collectors.joining(" ")),
                            m.receivedAt()));
        }
        audit.record(
                currentActor.get(),
                AuditEntry.of(AuditAction.EXPORT)
                        .on("MeasureReport", null)
                        .practice(currentActor.get().practiceId()));
        return csv(csv, "unattributed-" + selection.period().start() + ".csv");
    }

    // ------------------------------------------------------------------

    private Selection selection() {
        Actor actor = currentActor.get();
        var query = uri.getQueryParameters();
        String measureId = query.getFirst("measure");
        MeasureId measure =
                measureId == null || measureId.isBlank()
                        ? MeasureId.SM_S2
                        : MeasurementService.measure(measureId);
        ReportingPeriod period;
        if (query.getFirst("periodStart") == null && query.getFirst("periodEnd") == null) {
            LocalDate today =
                    LocalDate.ofInstant(clock.instant(), directory.zoneOf(actor.practiceId()));
            period = new ReportingPeriod(today.minusDays(89), today);
        } else {
            period =
                    ReportingPeriod.parse(
                            query.getFirst("periodStart"), query.getFirst("periodEnd"));
        }
        MeasurePolicies policies = MeasurePolicies.from(query::getFirst);
        StringBuilder q =
                new StringBuilder("measure=")
                        .append(measure.id())
                        .append("&periodStart=")
                        .append(period.start())
                        .append("&periodEnd=")
                        .append(period.end());
        policies.asMap().forEach((k, v) -> q.append('&').append(k).append('=').append(v));
        return new Selection(measure, period, policies, q.toString());
    }

    /** One EP: with the patient lists (drill-down); every EP: the summary (counts only, ADR 0027 part 2). */
    private MeasurementService.Reports reports(Selection selection, UUID practitioner) {
        ReportRequest request =
                new ReportRequest(
                        selection.measure(),
                        selection.period(),
                        selection.policies(),
                        null,
                        practitioner,
                        null);
        return practitioner == null
                ? measurement.summarize(request, currentActor.get())
                : measurement.evaluate(request, currentActor.get());
    }

    private ComplianceMessages words() {
        return language.messages(ComplianceMessages.class);
    }

    private PracticeTimeFormat time() {
        return PracticeTimeFormat.of(
                directory.zoneOf(currentActor.get().practiceId()), language.locale());
    }

    private Freshness freshness(MeasurementService.Reports run) {
        return new Freshness(
                time().when(run.freshness().completeUpTo()),
                run.freshness().complete(),
                run.freshness().pendingMessages() + run.freshness().pendingRoutings());
    }

    private Heading heading(
            Selection selection, List<EpMeasureReport> reports, ComplianceMessages words) {
        PracticeTimeFormat time = time();
        String from = time.day(selection.period().start());
        String to = time.day(selection.period().end());
        Threshold threshold =
                reports.isEmpty()
                        ? selection.measure().threshold(selection.period().programYear())
                        : reports.get(0).threshold();
        return new Heading(
                measureTitle(selection.measure(), words),
                words.period(from, to),
                threshold(threshold, words),
                from,
                to);
    }

    static String measureTitle(MeasureId measure, ComplianceMessages words) {
        return switch (measure) {
            case SM_S2 -> words.measure_sm_s2();
            case SM_MS2_2015 -> words.measure_sm_ms2_2015();
            case SM_MS2_2016 -> words.measure_sm_ms2_2016();
            case SM_MS2_2017 -> words.measure_sm_ms2_2017();
            case SM_S3 -> words.measure_sm_s3();
            case PEA_S2_M1 -> words.measure_pea_s2_m1();
            case PEA_S2_M2 -> words.measure_pea_s2_m2();
        };
    }

    static String threshold(Threshold threshold, ComplianceMessages words) {
        return switch (threshold.kind()) {
            case MORE_THAN_PERCENT -> words.threshold_more_than(threshold.percent());
            case AT_LEAST_ONE_PATIENT -> words.threshold_at_least_one();
            case FULLY_ENABLED -> words.threshold_fully_enabled();
        };
    }

    /** The counting choices in words, each with its explanation and its choices (the one in force selected). */
    static List<Flag> flags(MeasurePolicies p, ComplianceMessages words) {
        return List.of(
                new Flag(
                        MeasurePolicies.POOL_ATTRIBUTION,
                        words.flag_pool(),
                        words.flag_pool_hint(),
                        List.of(
                                new Option(
                                        "ASSIGNED_EP",
                                        words.flag_pool_assigned(),
                                        p.poolAttribution()
                                                == MeasurePolicies.PoolAttribution.ASSIGNED_EP),
                                new Option(
                                        "PRACTICE_WIDE",
                                        words.flag_pool_practice(),
                                        p.poolAttribution()
                                                == MeasurePolicies.PoolAttribution.PRACTICE_WIDE))),
                yesNo(
                        MeasurePolicies.INCLUDE_STAFF_ONLY_VISITS,
                        words.flag_staff_visits(),
                        words.flag_staff_visits_hint(),
                        p.includeStaffOnlyVisits(),
                        false,
                        words),
                yesNo(
                        MeasurePolicies.INCLUDE_NON_CEHRT,
                        words.flag_non_cehrt(),
                        words.flag_non_cehrt_hint(),
                        p.includeNonCehrtEncountersEnteredInCehrt(),
                        false,
                        words),
                yesNo(
                        MeasurePolicies.COUNT_SYSTEM_MESSAGES,
                        words.flag_system(),
                        words.flag_system_hint(),
                        p.countSystemMessagesAsEpSent(),
                        false,
                        words),
                yesNo(
                        MeasurePolicies.COUNT_STAFF_FOR_EP,
                        words.flag_staff_for_ep(),
                        words.flag_staff_for_ep_hint(),
                        p.countStaffSentOnBehalfOfEp(),
                        true,
                        words),
                new Flag(
                        MeasurePolicies.PEA_ACTION_WINDOW,
                        words.flag_pea_window(),
                        words.flag_pea_window_hint(),
                        List.of(
                                new Option(
                                        "REPORTING_YEAR_TO_ATTESTATION",
                                        words.flag_pea_year(),
                                        p.peaActionWindow()
                                                == MeasurePolicies.PeaActionWindow
                                                        .REPORTING_YEAR_TO_ATTESTATION),
                                new Option(
                                        "REPORTING_PERIOD",
                                        words.flag_pea_period(),
                                        p.peaActionWindow()
                                                == MeasurePolicies.PeaActionWindow
                                                        .REPORTING_PERIOD))));
    }

    private static Flag yesNo(
            String param,
            String label,
            String hint,
            boolean value,
            boolean byDefault,
            ComplianceMessages words) {
        String count = byDefault ? words.flag_default(words.flag_count()) : words.flag_count();
        String leaveOut =
                byDefault ? words.flag_leave_out() : words.flag_default(words.flag_leave_out());
        return byDefault
                ? new Flag(
                        param,
                        label,
                        hint,
                        List.of(
                                new Option("true", count, value),
                                new Option("false", leaveOut, !value)))
                : new Flag(
                        param,
                        label,
                        hint,
                        List.of(
                                new Option("false", leaveOut, !value),
                                new Option("true", count, value)));
    }

    static EpRow epRow(EpMeasureReport r, ComplianceMessages words) {
        String result =
                r.thresholdMet()
                        ? words.met()
                        : r.notAvailable() != null
                                ? words.not_met_not_available()
                                : words.not_met();
        List<String> exclusions =
                r.eligibleExclusions().stream().map(e -> exclusionLabel(e.code(), words)).toList();
        return new EpRow(
                r,
                result,
                exclusions,
                words.cehrt_share(
                        r.cehrt().percent(), r.cehrt().cehrtEncounters(), r.cehrt().encounters()),
                !r.cehrt().eligible());
    }

    static String exclusionLabel(String code, ComplianceMessages words) {
        return switch (code) {
            case "NO_OFFICE_VISITS" -> words.exclusion_no_office_visits();
            case "BROADBAND" -> words.exclusion_broadband();
            case "NEITHER_ORDERS_NOR_CREATES" -> words.exclusion_neither_orders_nor_creates();
            case "FULLY_ENABLED_EVIDENCE" -> words.exclusion_fully_enabled();
            default -> code.replace('_', ' ').toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The exclusions with their evidence in words, from the facts the engine found (counts, counties, FCC dates). */
    private List<ExclusionRow> exclusions(EpMeasureReport r, ComplianceMessages words) {
        PracticeTimeFormat time = time();
        return r.exclusions().stream()
                .map(
                        e ->
                                new ExclusionRow(
                                        exclusionLabel(e.code(), words),
                                        e.eligible(),
                                        evidence(e, r, words, time)))
                .toList();
    }

    static String evidence(
            EpMeasureReport.Exclusion e,
            EpMeasureReport r,
            ComplianceMessages words,
            PracticeTimeFormat time) {
        EpMeasureReport.Exclusion.Facts f = e.facts();
        return switch (e.code()) {
            case "NO_OFFICE_VISITS" -> words.evidence_office_visits(r.officeVisits());
            case "FULLY_ENABLED_EVIDENCE" ->
                    f.since() != null
                            ? words.evidence_enabled_since(time.day(f.since()))
                            : words.evidence_not_enabled();
            case "NEITHER_ORDERS_NOR_CREATES" -> words.evidence_visit_documents(f.count());
            case "BROADBAND" -> {
                StringBuilder text =
                        new StringBuilder(words.evidence_broadband(f.count(), f.of(), f.mbps()))
                                .append(' ')
                                .append(
                                        f.dataSetAsOf() == null
                                                ? words.evidence_broadband_no_data_set(
                                                        time.day(f.availableOn()))
                                                : words.evidence_broadband_data_set(
                                                        time.day(f.dataSetAsOf()),
                                                        time.day(f.availableOn())));
                if (!f.countiesLow().isEmpty()) {
                    text.append(' ')
                            .append(
                                    words.evidence_broadband_counties(
                                            f.countiesLow().entrySet().stream()
                                                    .map(c -> c.getKey() + " ×" + c.getValue())
                                                    .collect(Collectors.joining("; "))));
                }
                if (!f.countiesUnknown().isEmpty()) {
                    text.append(' ')
                            .append(
                                    words.evidence_broadband_unknown(
                                            String.join("; ", f.countiesUnknown())));
                }
                yield text.toString();
            }
            default -> e.evidence();
        };
    }

    /** The report's warnings in words: the period's (as the engine finds them) and the CEHRT-location share's. */
    static List<String> reportWarnings(EpMeasureReport r, ComplianceMessages words) {
        List<String> warnings = new ArrayList<>(periodWarnings(r.period(), r.measure(), words));
        if (!r.cehrt().eligible()) {
            warnings.add(
                    words.cehrt_too_low_warning(
                            r.cehrt().cehrtEncounters(), r.cehrt().encounters()));
        }
        return warnings;
    }

    static List<String> periodWarnings(
            ReportingPeriod period, MeasureId measure, ComplianceMessages words) {
        return period.issues(measure).stream()
                .map(
                        i ->
                                switch (i.kind()) {
                                    case CROSSES_YEAR -> words.period_crosses_year(i.year());
                                    case QUARTER_2014_FOR_90_DAYS -> words.period_quarter_2014();
                                    case QUARTER_OR_90_DAYS_2014 ->
                                            words.period_quarter_or_90_2014(i.days());
                                    case NINETY_DAYS_2015_2016 ->
                                            words.period_90_days(i.year(), i.days());
                                    case NINETY_DAYS_ONLY_MEDICAID_2017 ->
                                            words.period_90_only_medicaid_2017();
                                    case FULL_YEAR_2017 -> words.period_full_year_2017(i.days());
                                    case SHORTER_THAN_90_DAYS ->
                                            words.period_shorter_than_90(i.year(), i.days());
                                    case STAGE_2_AFTER_2014 -> words.period_stage_2_after_2014();
                                    case WRONG_YEAR ->
                                            words.period_wrong_year(i.expectedYear(), i.year());
                                    case MS2_2017_WRONG_YEAR ->
                                            words.period_ms2_2017_wrong_year(i.year());
                                    case STAGE_3_BEFORE_2016 ->
                                            words.period_stage_3_before_2016(i.year());
                                    case STAGE_3_2018_THRESHOLD -> words.period_stage_3_2018();
                                })
                .toList();
    }

    private static ComplianceChart.Words chartWords(
            List<EpMeasureReport> reports, ComplianceMessages words) {
        String threshold = reports.isEmpty() ? "" : threshold(reports.get(0).threshold(), words);
        return new ComplianceChart.Words(
                words.chart_title(threshold),
                words.chart_threshold(threshold),
                words.chart_met(),
                words.chart_not_met(),
                words.chart_nobody_seen());
    }

    private static UUID epId(String id) {
        return Ids.parse(id).orElseThrow(() -> BluepostException.notFound("Practitioner", id));
    }

    /** SM-S2 what-if: seen patients who have not (yet) done what the numerator counts — the ones to invite. */
    private static Map<UUID, PatientEntry> invite(EpMeasureReport report) {
        return report.denominator().entrySet().stream()
                .filter(e -> !report.numerator().containsKey(e.getKey()))
                .collect(
                        Collectors.toMap(
                                Map.Entry::getKey,
                                Map.Entry::getValue,
                                (a, b) -> a,
                                java.util.LinkedHashMap::new));
    }

    private Map<UUID, String> patientNames(Collection<UUID> ids) {
        return patients(ids).values().stream()
                .collect(Collectors.toMap(PatientView::id, PatientView::displayName, (a, b) -> a));
    }

    private Map<UUID, PatientView> patients(Collection<UUID> ids) {
        return directory.patients(ids).stream()
                .collect(Collectors.toMap(PatientView::id, p -> p, (a, b) -> a));
    }

    private MeasurementService.FactDates dates(EpMeasureReport report) {
        java.util.Set<UUID> encounters = new java.util.HashSet<>();
        java.util.Set<UUID> events = new java.util.HashSet<>();
        for (PatientEntry p : report.initialPopulation().values()) {
            encounters.addAll(p.encounterIds());
            events.addAll(p.eventIds());
        }
        for (PatientEntry p : report.numerator().values()) {
            encounters.addAll(p.encounterIds());
            events.addAll(p.eventIds());
        }
        return measurement.dates(encounters, events);
    }

    private static String ids(List<UUID> ids) {
        return ids.stream().map(UUID::toString).collect(Collectors.joining(" "));
    }

    private static List<PatientEntry> sortedByName(
            Map<UUID, PatientEntry> patients, Map<UUID, String> names) {
        return patients.values().stream()
                .sorted(
                        java.util.Comparator.comparing(
                                        (PatientEntry p) -> names.getOrDefault(p.patientId(), ""))
                                .thenComparing(PatientEntry::patientId))
                .toList();
    }

    /** A patient list for the page: names, birth dates, and the dates of the visits and of what counts (ids stay in the CSV). */
    private static List<PatientRow> rows(
            Map<UUID, PatientEntry> entries,
            Map<UUID, PatientView> patients,
            MeasurementService.FactDates dates,
            PracticeTimeFormat time,
            ComplianceMessages words) {
        return entries.values().stream()
                .map(
                        p -> {
                            PatientView view = patients.get(p.patientId());
                            String visits =
                                    p.encounterIds().stream()
                                            .map(dates.encounters()::get)
                                            .filter(d -> d != null)
                                            .distinct()
                                            .sorted()
                                            .map(time::day)
                                            .collect(Collectors.joining("; "));
                            String events =
                                    p.eventIds().stream()
                                            .map(dates.events()::get)
                                            .filter(d -> d != null)
                                            .distinct()
                                            .sorted()
                                            .map(time::when)
                                            .collect(Collectors.joining("; "));
                            return new PatientRow(
                                    p.patientId(),
                                    view == null ? words.unknown_patient() : view.displayName(),
                                    view == null ? "" : time.day(view.birthDate()),
                                    p.encounterIds(),
                                    p.eventIds(),
                                    p.outsidePeriod(),
                                    visits,
                                    events);
                        })
                .sorted(
                        java.util.Comparator.comparing(PatientRow::name)
                                .thenComparing(PatientRow::id))
                .toList();
    }

    /** The {@code #} lines of a CSV: measure, period, generation time, policy flags and, for a report, how fresh its facts are. */
    private String header(Selection selection, MeasurementService.Reports run) {
        StringBuilder h = new StringBuilder();
        h.append("# measure,")
                .append(selection.measure().id())
                .append(",period,")
                .append(selection.period().start())
                .append(",")
                .append(selection.period().end())
                .append(",generated_at,")
                .append(run == null ? clock.instant() : run.asOf())
                .append("\r\n");
        h.append("# policy flags");
        selection
                .policies()
                .asMap()
                .forEach((k, v) -> h.append(',').append(k).append('=').append(v));
        h.append("\r\n");
        if (run != null) {
            h.append("# facts_complete_up_to,")
                    .append(run.freshness().completeUpTo())
                    .append(",pending_messages,")
                    .append(run.freshness().pendingMessages())
                    .append(",pending_routings,")
                    .append(run.freshness().pendingRoutings())
                    .append("\r\n");
            if (!run.freshness().complete()) {
                h.append("# warning,")
                        .append(
                                Csv.escape(
                                        run.freshness().pendingText()
                                                + "; run the export again in a few seconds."))
                        .append("\r\n");
            }
        }
        return h.toString();
    }

    private static Response csv(StringBuilder csv, String filename) {
        return Response.ok(
                        csv.toString().getBytes(StandardCharsets.UTF_8), "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
                .build();
    }
}
