package dev.bluepost.measurement;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditService;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.measurement.MeasurementService.ReportRequest;
import dev.bluepost.measurement.engine.EpMeasureReport;
import dev.bluepost.measurement.engine.EpMeasureReport.PatientEntry;
import dev.bluepost.measurement.engine.MeasureEvaluator;
import dev.bluepost.measurement.engine.MeasureId;
import dev.bluepost.measurement.engine.MeasurePolicies;
import dev.bluepost.measurement.engine.ReportingPeriod;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
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

    /** A row of a patient list: the patient and what put them there. */
    public record PatientRow(UUID id, String name, List<UUID> encounterIds, List<UUID> eventIds, boolean outsidePeriod) {

        public String encounters() {
            return encounterIds.stream().map(UUID::toString).collect(Collectors.joining(" "));
        }

        public String events() {
            return eventIds.stream().map(UUID::toString).collect(Collectors.joining(" "));
        }
    }

    /** What the dashboard was asked for, and the query string that asks for it again. */
    public record Selection(MeasureId measure, ReportingPeriod period, MeasurePolicies policies, String query) {

        public Map<String, String> flags() {
            return policies.asMap();
        }
    }

    /**
     * Up to when a report's facts are complete, for the page: the time in the practice's zone, and what is
     * not counted yet (messages accepted whose events have not reached the measures).
     */
    public record Freshness(String countedUpTo, boolean complete, String pending) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance dashboard(Selection selection, List<MeasureId> measures, List<EpMeasureReport> reports,
                                                 String chart, List<String> warnings, Freshness freshness);

        static native TemplateInstance ep(Selection selection, EpMeasureReport report, List<PatientRow> numerator,
                                          List<PatientRow> denominator, List<PatientRow> excluded, List<PatientRow> invite,
                                          Freshness freshness);

        static native TemplateInstance unattributed(Selection selection, List<MeasureEvaluator.UnattributedMessage> messages,
                                                    Map<UUID, String> names);
    }

    @Inject
    CurrentActor currentActor;

    @Inject
    MeasurementService measurement;

    @Inject
    DirectoryService directory;

    @Inject
    AuditService audit;

    @Inject
    Clock clock;

    @Context
    UriInfo uri;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance dashboard() {
        Selection selection = selection();
        MeasurementService.Reports run = reports(selection, null);
        List<EpMeasureReport> reports = run.reports();
        List<String> warnings = selection.period().warnings(selection.measure());
        return Templates.dashboard(selection, Arrays.asList(MeasureId.values()), reports, ComplianceChart.svg(reports), warnings,
                freshness(run));
    }

    @GET
    @Path("export.csv")
    @Produces("text/csv")
    public Response dashboardCsv() {
        Selection selection = selection();
        MeasurementService.Reports run = reports(selection, null);
        StringBuilder csv = new StringBuilder(header(selection, run));
        csv.append("ep,npi,numerator,denominator,percent,threshold,met,eligible_exclusions,cehrt_encounters,encounters,cehrt_eligible,patients_short,not_available\r\n");
        for (EpMeasureReport r : run.reports()) {
            csv.append(Csv.row(r.name(), r.npi(), r.numeratorCount(), r.denominatorCount(), r.percent(), r.threshold().label(),
                    r.thresholdMet() ? "met" : "not met",
                    r.eligibleExclusions().stream().map(EpMeasureReport.Exclusion::code).collect(Collectors.joining(" ")),
                    r.cehrt().cehrtEncounters(), r.cehrt().encounters(), r.cehrt().eligible(),
                    r.notAvailable() == null ? r.shortfall() : "", r.notAvailable() == null ? "" : r.notAvailable().reason()));
        }
        audit.record(currentActor.get(), AuditEntry.of(AuditAction.EXPORT).on("MeasureReport", null).practice(currentActor.get().practiceId()));
        return csv(csv, "measure-" + selection.measure().id() + "-" + selection.period().start() + ".csv");
    }

    @GET
    @Path("ep/{id}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance ep(@PathParam("id") String id) {
        Selection selection = selection();
        MeasurementService.Reports run = reports(selection, epId(id));
        EpMeasureReport report = run.reports().get(0);
        Map<UUID, String> names = names(report);
        audit.record(currentActor.get(), AuditEntry.of(AuditAction.READ).on("MeasureReport", report.practitionerId())
                .practice(currentActor.get().practiceId()));
        return Templates.ep(selection, report, rows(report.numerator(), names), rows(report.denominator(), names),
                rows(report.denominatorExclusion(), names), rows(invite(report), names), freshness(run));
    }

    @GET
    @Path("ep/{id}/{list}.csv")
    @Produces("text/csv")
    public Response epCsv(@PathParam("id") String id, @PathParam("list") String list) {
        Selection selection = selection();
        MeasurementService.Reports run = reports(selection, epId(id));
        EpMeasureReport report = run.reports().get(0);
        Map<UUID, PatientEntry> patients = switch (list) {
            case "numerator" -> report.numerator();
            case "denominator" -> report.denominator();
            case "denominator-exclusion" -> report.denominatorExclusion();
            case "invite" -> invite(report);
            default -> throw BluepostException.notFound("list", list);
        };
        Map<UUID, String> names = names(report);
        StringBuilder csv = new StringBuilder(header(selection, run));
        csv.append("# ep,").append(Csv.escape(report.name())).append(",npi,").append(report.npi()).append("\r\n");
        if (report.notAvailable() != null) {
            csv.append("# not available,").append(Csv.escape(report.notAvailable().reason())).append("\r\n");
        }
        csv.append("patient_id,patient,encounter_ids,event_ids,action_outside_period\r\n");
        for (PatientRow row : rows(patients, names)) {
            csv.append(Csv.row(row.id(), row.name(), row.encounters(), row.events(), row.outsidePeriod()));
        }
        audit.record(currentActor.get(), AuditEntry.of(AuditAction.EXPORT).on("MeasureReport", report.practitionerId())
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
        byte[] pdf = AttestationWorksheet.render(report, directory.practice(currentActor.get().practiceId()).map(p -> p.name()).orElse(""),
                freshness(run));
        audit.record(currentActor.get(), AuditEntry.of(AuditAction.PRINT).on("MeasureReport", report.practitionerId())
                .practice(currentActor.get().practiceId()));
        return Response.ok(pdf, "application/pdf")
                .header("Content-Disposition", "attachment; filename=\"worksheet-" + report.npi() + "-" + selection.measure().id() + ".pdf\"")
                .build();
    }

    @GET
    @Path("unattributed")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance unattributed() {
        Selection selection = selection();
        List<MeasureEvaluator.UnattributedMessage> messages = measurement.unattributed(selection.period(), currentActor.get(), null);
        return Templates.unattributed(selection, messages, patientNames(messages.stream().map(MeasureEvaluator.UnattributedMessage::patientId).toList()));
    }

    @GET
    @Path("unattributed.csv")
    @Produces("text/csv")
    public Response unattributedCsv() {
        Selection selection = selection();
        List<MeasureEvaluator.UnattributedMessage> messages = measurement.unattributed(selection.period(), currentActor.get(), null);
        Map<UUID, String> names = patientNames(messages.stream().map(MeasureEvaluator.UnattributedMessage::patientId).toList());
        StringBuilder csv = new StringBuilder(header(selection, null));
        csv.append("message_id,patient_id,patient,pool_ids,received_at\r\n");
        for (MeasureEvaluator.UnattributedMessage m : messages) {
            csv.append(Csv.row(m.messageId(), m.patientId(), names.get(m.patientId()),
                    m.poolIds().stream().map(UUID::toString).collect(Collectors.joining(" ")), m.receivedAt()));
        }
        audit.record(currentActor.get(), AuditEntry.of(AuditAction.EXPORT).on("MeasureReport", null).practice(currentActor.get().practiceId()));
        return csv(csv, "unattributed-" + selection.period().start() + ".csv");
    }

    // ------------------------------------------------------------------

    private Selection selection() {
        Actor actor = currentActor.get();
        var query = uri.getQueryParameters();
        String measureId = query.getFirst("measure");
        MeasureId measure = measureId == null || measureId.isBlank() ? MeasureId.SM_S2 : MeasurementService.measure(measureId);
        ReportingPeriod period;
        if (query.getFirst("periodStart") == null && query.getFirst("periodEnd") == null) {
            LocalDate today = LocalDate.ofInstant(clock.instant(), directory.zoneOf(actor.practiceId()));
            period = new ReportingPeriod(today.minusDays(89), today);
        } else {
            period = ReportingPeriod.parse(query.getFirst("periodStart"), query.getFirst("periodEnd"));
        }
        MeasurePolicies policies = MeasurePolicies.from(query::getFirst);
        StringBuilder q = new StringBuilder("measure=").append(measure.id())
                .append("&periodStart=").append(period.start()).append("&periodEnd=").append(period.end());
        policies.asMap().forEach((k, v) -> q.append('&').append(k).append('=').append(v));
        return new Selection(measure, period, policies, q.toString());
    }

    /** One EP: with the patient lists (drill-down); every EP: the summary (counts only, ADR 0027 part 2). */
    private MeasurementService.Reports reports(Selection selection, UUID practitioner) {
        ReportRequest request = new ReportRequest(selection.measure(), selection.period(), selection.policies(), null, practitioner, null);
        return practitioner == null ? measurement.summarize(request, currentActor.get()) : measurement.evaluate(request, currentActor.get());
    }

    private static final java.time.format.DateTimeFormatter WHEN =
            java.time.format.DateTimeFormatter.ofPattern("d MMMM yyyy 'at' HH:mm:ss", java.util.Locale.US);

    private Freshness freshness(MeasurementService.Reports run) {
        java.time.ZonedDateTime at = run.freshness().completeUpTo().atZone(directory.zoneOf(currentActor.get().practiceId()));
        return new Freshness(WHEN.format(at) + " (" + at.getZone().getId().replace('_', ' ') + ")", run.freshness().complete(),
                run.freshness().pendingText());
    }

    private static UUID epId(String id) {
        return Ids.parse(id).orElseThrow(() -> BluepostException.notFound("Practitioner", id));
    }

    /** SM-S2 what-if: seen patients who have not (yet) done what the numerator counts — the ones to invite. */
    private static Map<UUID, PatientEntry> invite(EpMeasureReport report) {
        return report.denominator().entrySet().stream().filter(e -> !report.numerator().containsKey(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.LinkedHashMap::new));
    }

    private Map<UUID, String> names(EpMeasureReport report) {
        List<UUID> ids = new ArrayList<>(report.initialPopulation().keySet());
        return patientNames(ids);
    }

    private Map<UUID, String> patientNames(Collection<UUID> ids) {
        return directory.patients(ids).stream().collect(Collectors.toMap(PatientView::id, PatientView::displayName, (a, b) -> a));
    }

    private static List<PatientRow> rows(Map<UUID, PatientEntry> patients, Map<UUID, String> names) {
        return patients.values().stream()
                .map(p -> new PatientRow(p.patientId(), names.getOrDefault(p.patientId(), "—"), p.encounterIds(), p.eventIds(), p.outsidePeriod()))
                .sorted(java.util.Comparator.comparing(PatientRow::name).thenComparing(PatientRow::id))
                .toList();
    }

    /** The {@code #} lines of a CSV: measure, period, generation time, policy flags and, for a report, how fresh its facts are. */
    private String header(Selection selection, MeasurementService.Reports run) {
        StringBuilder h = new StringBuilder();
        h.append("# measure,").append(selection.measure().id()).append(",period,").append(selection.period().start()).append(",")
                .append(selection.period().end()).append(",generated_at,").append(run == null ? clock.instant() : run.asOf()).append("\r\n");
        h.append("# policy flags");
        selection.policies().asMap().forEach((k, v) -> h.append(',').append(k).append('=').append(v));
        h.append("\r\n");
        if (run != null) {
            h.append("# facts_complete_up_to,").append(run.freshness().completeUpTo()).append(",pending_messages,")
                    .append(run.freshness().pendingMessages()).append(",pending_routings,").append(run.freshness().pendingRoutings())
                    .append("\r\n");
            if (!run.freshness().complete()) {
                h.append("# warning,").append(Csv.escape(run.freshness().pendingText() + "; run the export again in a few seconds."))
                        .append("\r\n");
            }
        }
        return h.toString();
    }

    private static Response csv(StringBuilder csv, String filename) {
        return Response.ok(csv.toString().getBytes(StandardCharsets.UTF_8), "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"").build();
    }

}
