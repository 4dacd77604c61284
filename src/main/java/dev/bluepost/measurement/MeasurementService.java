package dev.bluepost.measurement;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.measurement.engine.Ep;
import dev.bluepost.measurement.engine.EpMeasureReport;
import dev.bluepost.measurement.engine.FactFreshness;
import dev.bluepost.measurement.engine.FactRecorder;
import dev.bluepost.measurement.engine.MeasureEvaluator;
import dev.bluepost.measurement.engine.MeasureId;
import dev.bluepost.measurement.engine.MeasurePolicies;
import dev.bluepost.measurement.engine.MeasureSummary;
import dev.bluepost.measurement.engine.ReportingPeriod;
import dev.bluepost.platform.PlatformConfig;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The Meaningful Use reports for a caller: which EPs they may see (a system client: every practice;
 * a compliance officer: their practice), the measure engine over PostgreSQL, and an audit entry for
 * every report run (reports name patients in their lists).
 */
@ApplicationScoped
public class MeasurementService {

    private final MeasureEvaluator evaluator;
    private final MeasureSummary summary;
    private final FactRecorder facts;
    private final FactFreshness freshness;
    private final DirectoryService directory;
    private final AuditRecorder audit;
    private final Clock clock;
    private final DataSource dataSource;

    public MeasurementService(
            DataSource dataSource,
            PlatformConfig platform,
            DirectoryService directory,
            AuditRecorder audit,
            Clock clock) {
        this.evaluator = new MeasureEvaluator(dataSource, platform.defaultTimeZone());
        this.summary = new MeasureSummary(dataSource, platform.defaultTimeZone(), evaluator);
        this.facts = new FactRecorder(dataSource);
        this.freshness = new FactFreshness(dataSource);
        this.directory = directory;
        this.audit = audit;
        this.clock = clock;
        this.dataSource = dataSource;
    }

    /**
     * When the facts behind a patient list happened, for the pages (the lists name ids only): the service
     * date of each encounter, and the time of each qualifying message, view, download, transmit, online
     * access or visit document. Ids not found are left out.
     */
    public record FactDates(Map<UUID, LocalDate> encounters, Map<UUID, Instant> events) {}

    public FactDates dates(Collection<UUID> encounterIds, Collection<UUID> eventIds) {
        Map<UUID, LocalDate> encounters = new HashMap<>();
        Map<UUID, Instant> events = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            if (!encounterIds.isEmpty()) {
                try (PreparedStatement s =
                        c.prepareStatement(
                                "select id, service_date from encounter where id = any(?)")) {
                    s.setArray(1, c.createArrayOf("uuid", encounterIds.toArray()));
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            encounters.put(
                                    r.getObject(1, UUID.class), r.getObject(2, LocalDate.class));
                        }
                    }
                }
            }
            if (!eventIds.isEmpty()) {
                try (PreparedStatement s =
                        c.prepareStatement(
                                """
                        select message_id, received_at from mu_message_fact where message_id = any(?1)
                        union all select id, occurred_at from mu_vdt_fact where id = any(?1)
                        union all select id, granted_at from mu_portal_access_fact where id = any(?1)
                        union all select id, available_at from mu_document_fact where id = any(?1)
                        union all select event_id, assigned_at from mu_assignment_fact where event_id = any(?1)"""
                                        .replace("?1", "?"))) {
                    java.sql.Array ids = c.createArrayOf("uuid", eventIds.toArray());
                    for (int i = 1; i <= 5; i++) {
                        s.setArray(i, ids);
                    }
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            events.putIfAbsent(
                                    r.getObject(1, UUID.class),
                                    r.getObject(2, java.time.OffsetDateTime.class).toInstant());
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("fact dates not readable", e);
        }
        return new FactDates(encounters, events);
    }

    /** What a report is asked for. {@code organization} and {@code practitioner} are optional. */
    public record ReportRequest(
            MeasureId measure,
            ReportingPeriod period,
            MeasurePolicies policies,
            UUID organization,
            UUID practitioner,
            LocalDate attestation) {}

    /** The reports of one run, when it ran, and up to when their facts are complete (messages still on their way). */
    public record Reports(
            List<EpMeasureReport> reports, Instant asOf, FactFreshness.Status freshness) {}

    public FactRecorder facts() {
        return facts;
    }

    /** The measure by its id, or 404. */
    public static MeasureId measure(String id) {
        return MeasureId.of(id).orElseThrow(() -> BluepostException.notFound("Measure", id));
    }

    /** The report with its patient lists (drill-down, subject-list), from the exact per-EP path. */
    public Reports evaluate(ReportRequest request, Actor actor) {
        return run(request, actor, true);
    }

    /**
     * The report without patient lists (counts, met flag, exclusions, CEHRT share): SM-S2 from the
     * database's aggregates where the SQL summary can serve it (ADR 0027 part 2), otherwise the exact path.
     */
    public Reports summarize(ReportRequest request, Actor actor) {
        return run(request, actor, false);
    }

    private Reports run(ReportRequest request, Actor actor, boolean patientLists) {
        List<UUID> practices = practicesOf(actor, request.organization());
        List<Ep> eps = evaluator.eps(practices, request.practitioner());
        if (request.practitioner() != null && eps.isEmpty()) {
            throw BluepostException.notFound("Practitioner", request.practitioner());
        }
        Instant asOf = clock.instant();
        LocalDate attestation =
                request.attestation() != null
                        ? request.attestation()
                        : LocalDate.ofInstant(
                                asOf,
                                practices.size() == 1
                                        ? directory.zoneOf(practices.get(0))
                                        : directory.zoneOf(null));
        // before the facts are read: a message recorded meanwhile is counted and still reported
        // pending, never the reverse
        FactFreshness.Status fresh = freshness.check(asOf);
        List<EpMeasureReport> reports =
                patientLists
                        ? evaluator.evaluate(
                                request.measure(),
                                request.period(),
                                request.policies(),
                                eps,
                                attestation,
                                asOf)
                        : summary.summarize(
                                request.measure(),
                                request.period(),
                                request.policies(),
                                eps,
                                attestation,
                                asOf);
        audit.record(
                actor,
                AuditEntry.of(AuditAction.READ)
                        .on("MeasureReport", null)
                        .practice(practices.size() == 1 ? practices.get(0) : null));
        return new Reports(reports, asOf, fresh);
    }

    /** Patient messages to pools that credit no EP under the default policy (docs/measures.md §9.4, §10 row 35). */
    public List<MeasureEvaluator.UnattributedMessage> unattributed(
            ReportingPeriod period, Actor actor, UUID organization) {
        return evaluator.unattributed(practicesOf(actor, organization), period);
    }

    private List<UUID> practicesOf(Actor actor, UUID organization) {
        if (actor.isSystem()) {
            if (organization == null) {
                return directory.practices().stream().map(p -> p.id()).toList();
            }
            if (directory.practice(organization).isEmpty()) {
                throw BluepostException.notFound("Organization", organization);
            }
            return List.of(organization);
        }
        if ((actor.has(Role.COMPLIANCE) || actor.isPracticeClient())
                && actor.practiceId() != null) {
            if (organization != null && !organization.equals(actor.practiceId())) {
                throw BluepostException.notFound("Organization", organization);
            }
            return List.of(actor.practiceId());
        }
        throw BluepostException.said(
                ErrorKind.FORBIDDEN,
                ComplianceMessages.class,
                ComplianceMessages::error_reports_not_allowed);
    }
}
