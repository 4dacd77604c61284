package dev.bluepost.measurement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bluepost.measurement.engine.Ep;
import dev.bluepost.measurement.engine.EpMeasureReport;
import dev.bluepost.measurement.engine.MeasureAggregates;
import dev.bluepost.measurement.engine.MeasureEvaluator;
import dev.bluepost.measurement.engine.MeasureId;
import dev.bluepost.measurement.engine.MeasurePolicies;
import dev.bluepost.measurement.engine.MeasureSummary;
import dev.bluepost.measurement.engine.ReportingPeriod;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The aggregates of ADR 0027 part 2 under concurrent writers: two transactions record visits of the
 * same patient with the same EP at the same time, sharing no count row; the second waits for the
 * first's lock on their pair row and then sees its committed rows, so neither visit is lost from the
 * pair, the counts or the summary. And their deferred refresh (ADR 0031): a refresh and a deferring
 * writer of the same encounter wait for each other, in either order, and the summary ends exact; a
 * report whose refresh is overtaken by an import's next chunk gives no SQL summary (the exact path
 * answers).
 */
class MeasureAggregatesConcurrencyTest {

    static final ReportingPeriod YEAR =
            new ReportingPeriod(LocalDate.of(2017, 1, 1), LocalDate.of(2017, 12, 31));

    MeasureFacts f;
    DataSource db;

    @BeforeEach
    void setUp() {
        MeasureDatabase.reset();
        db = MeasureDatabase.dataSource();
        f = new MeasureFacts(db);
    }

    @Test
    void concurrentVisitsOfOnePairAreBothCounted() throws Exception {
        UUID ep = f.ep();
        UUID patient = f.patient();
        UUID location = f.location(true, "Cook");
        // another county, month and quarter: the two writers share no count row, only the pair row
        UUID elsewhere = f.location(true, "Lake");
        try (Connection first = db.getConnection();
                Connection second = db.getConnection()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            visit(first, patient, ep, location, LocalDate.of(2017, 4, 10));
            // the second writer blocks on the pair row (and the EP's count rows) the first one
            // holds
            CompletableFuture<Void> blocked =
                    CompletableFuture.runAsync(
                            () -> {
                                try {
                                    visit(
                                            second,
                                            patient,
                                            ep,
                                            elsewhere,
                                            LocalDate.of(2017, 8, 20));
                                    second.commit();
                                } catch (SQLException e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            Thread.sleep(500);
            assertThat(blocked).as("the second writer waits for the first").isNotDone();
            first.commit();
            blocked.get(30, TimeUnit.SECONDS);
        }
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "select seen_cehrt from mu_visit_pair where ep_id = ? and patient_id = ? and year = 2017")) {
            s.setObject(1, ep);
            s.setObject(2, patient);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
                assertThat((Object[]) r.getArray(1).getArray())
                        .containsExactly((short) 100, (short) 232);
            }
        }
        MeasureEvaluator engine = new MeasureEvaluator(db, MeasureFacts.ZONE);
        MeasureSummary summaries = new MeasureSummary(db, MeasureFacts.ZONE, engine);
        List<Ep> eps = engine.eps(List.of(f.practice), ep);
        EpMeasureReport exact =
                engine.evaluate(
                                MeasureId.SM_S2,
                                YEAR,
                                MeasurePolicies.defaults(),
                                eps,
                                LocalDate.of(2018, 1, 10),
                                Instant.now())
                        .get(0);
        EpMeasureReport summary =
                summaries
                        .sqlSummary(
                                MeasureId.SM_S2,
                                YEAR,
                                MeasurePolicies.defaults(),
                                eps,
                                Instant.now())
                        .orElseThrow()
                        .get(0);
        assertThat(exact.officeVisits()).isEqualTo(2);
        assertThat(summary.officeVisits()).as("both visits in the EP's counts").isEqualTo(2);
        assertThat(summary.counts()).isEqualTo(exact.counts());
        assertThat(summary.cehrt()).isEqualTo(exact.cehrt());
    }

    @Test
    void aRefreshWaitsForADeferringWriterOfTheSameEncounterAndReadsWhatItCommitted()
            throws Exception {
        UUID ep = f.ep();
        UUID encounter = staleVisit(ep);
        assertThat(MeasureDatabase.count("select count(*) from mu_stale_encounter"))
                .as("the visit is only marked stale")
                .isEqualTo(1);
        assertThat(MeasureDatabase.count("select count(*) from mu_visit")).isZero();
        try (Connection writer = db.getConnection()) {
            writer.setAutoCommit(false);
            MeasureAggregates.deferRefresh(writer);
            cancel(writer, encounter);
            // the refresh locks the encounter the writer holds, and waits
            CompletableFuture<Integer> refresh =
                    CompletableFuture.supplyAsync(() -> MeasureAggregates.refreshStale(db));
            Thread.sleep(500);
            assertThat(refresh).as("the refresh waits for the writer").isNotDone();
            writer.commit();
            assertThat(refresh.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(MeasureDatabase.count("select count(*) from mu_stale_encounter")).isZero();
        assertSummaryEqualsExact(ep, 0);
    }

    @Test
    void aDeferringWriterWaitsForARefreshOfTheSameEncounterAndMarksItStaleAgain() throws Exception {
        UUID ep = f.ep();
        UUID encounter = staleVisit(ep);
        try (Connection refresh = db.getConnection();
                PreparedStatement s = refresh.prepareStatement("select mu_refresh_stale(100)")) {
            refresh.setAutoCommit(false);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(1);
            }
            // the refresh holds the encounter: a writer changing it waits, then marks it stale
            // again
            CompletableFuture<Void> writer =
                    CompletableFuture.runAsync(
                            () -> {
                                try (Connection w = db.getConnection()) {
                                    w.setAutoCommit(false);
                                    MeasureAggregates.deferRefresh(w);
                                    cancel(w, encounter);
                                    w.commit();
                                } catch (SQLException e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            Thread.sleep(500);
            assertThat(writer).as("the writer waits for the refresh").isNotDone();
            refresh.commit();
            writer.get(30, TimeUnit.SECONDS);
        }
        assertThat(MeasureDatabase.count("select count(*) from mu_visit"))
                .as("the refresh counted the visit")
                .isEqualTo(1);
        assertThat(MeasureDatabase.count("select count(*) from mu_stale_encounter"))
                .as("the cancellation is stale")
                .isEqualTo(1);
        assertSummaryEqualsExact(ep, 0);
    }

    @Test
    void aReportThatFindsEncountersMadeStaleWhileItRefreshedLeavesTheSummaryToTheExactPath()
            throws Exception {
        UUID ep = f.ep();
        UUID cancelled = staleVisit(ep);
        MeasureEvaluator engine = new MeasureEvaluator(db, MeasureFacts.ZONE);
        MeasureSummary summaries = new MeasureSummary(db, MeasureFacts.ZONE, engine);
        List<Ep> eps = engine.eps(List.of(f.practice), ep);
        try (Connection writer = db.getConnection()) {
            writer.setAutoCommit(false);
            MeasureAggregates.deferRefresh(writer);
            cancel(writer, cancelled);
            // the report finds the stale visit and refreshes it: it waits for the writer holding it
            // …
            CompletableFuture<java.util.Optional<List<EpMeasureReport>>> report =
                    CompletableFuture.supplyAsync(
                            () ->
                                    summaries.sqlSummary(
                                            MeasureId.SM_S2,
                                            YEAR,
                                            MeasurePolicies.defaults(),
                                            eps,
                                            Instant.now()));
            Thread.sleep(500);
            assertThat(report).as("the report's refresh waits for the writer").isNotDone();
            // … while an import commits another chunk, which the refresh had not seen
            staleVisit(ep);
            writer.commit();
            assertThat(report.get(30, TimeUnit.SECONDS))
                    .as("the aggregates are stale again: no SQL summary")
                    .isEmpty();
        }
        assertSummaryEqualsExact(ep, 1);
    }

    /** A visit stored the way the bulk import stores it: committed, its aggregates' refresh deferred. */
    private UUID staleVisit(UUID ep) throws SQLException {
        try (Connection importer = db.getConnection()) {
            importer.setAutoCommit(false);
            MeasureAggregates.deferRefresh(importer);
            UUID encounter =
                    visit(
                            importer,
                            f.patient(),
                            ep,
                            f.location(true, "Cook"),
                            LocalDate.of(2017, 4, 10));
            importer.commit();
            return encounter;
        }
    }

    /** The SQL summary (which refreshes what is stale first) and the exact path agree on the EP. */
    private void assertSummaryEqualsExact(UUID ep, int officeVisits) {
        MeasureEvaluator engine = new MeasureEvaluator(db, MeasureFacts.ZONE);
        MeasureSummary summaries = new MeasureSummary(db, MeasureFacts.ZONE, engine);
        List<Ep> eps = engine.eps(List.of(f.practice), ep);
        EpMeasureReport exact =
                engine.evaluate(
                                MeasureId.SM_S2,
                                YEAR,
                                MeasurePolicies.defaults(),
                                eps,
                                LocalDate.of(2018, 1, 10),
                                Instant.now())
                        .get(0);
        EpMeasureReport summary =
                summaries
                        .sqlSummary(
                                MeasureId.SM_S2,
                                YEAR,
                                MeasurePolicies.defaults(),
                                eps,
                                Instant.now())
                        .orElseThrow()
                        .get(0);
        assertThat(exact.officeVisits()).isEqualTo(officeVisits);
        assertThat(summary.officeVisits()).isEqualTo(officeVisits);
        assertThat(summary.counts()).isEqualTo(exact.counts());
        assertThat(MeasureDatabase.count("select count(*) from mu_visit"))
                .as("the aggregates follow the changes")
                .isEqualTo(officeVisits);
    }

    private static void cancel(Connection c, UUID encounter) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "update encounter set status = 'cancelled', version = version + 1 where id = ?")) {
            s.setObject(1, encounter);
            s.executeUpdate();
        }
    }

    private static UUID visit(Connection c, UUID patient, UUID ep, UUID location, LocalDate day)
            throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement s =
                c.prepareStatement(
                        "insert into encounter (id, version, resource, created_at, updated_at, practice_id, patient_id, "
                                + "status, class_code, period_start, service_date, location_id) "
                                + "select ?, 1, '{}', now(), now(), practice_id, ?, 'finished', 'AMB', ?, ?, ? from location where id = ?")) {
            s.setObject(1, id);
            s.setObject(2, patient);
            s.setTimestamp(
                    3, Timestamp.from(day.atTime(10, 0).atZone(MeasureFacts.ZONE).toInstant()));
            s.setObject(4, day);
            s.setObject(5, location);
            s.setObject(6, location);
            s.executeUpdate();
        }
        try (PreparedStatement s =
                c.prepareStatement(
                        "insert into encounter_participant (encounter_id, practitioner_id, type) values (?, ?, 'PPRF')")) {
            s.setObject(1, id);
            s.setObject(2, ep);
            s.executeUpdate();
        }
        return id;
    }
}
