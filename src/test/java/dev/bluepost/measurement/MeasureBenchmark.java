package dev.bluepost.measurement;

import dev.bluepost.measurement.engine.Ep;
import dev.bluepost.measurement.engine.EpMeasureReport;
import dev.bluepost.measurement.engine.MeasureEvaluator;
import dev.bluepost.measurement.engine.MeasureId;
import dev.bluepost.measurement.engine.MeasurePolicies;
import dev.bluepost.measurement.engine.MeasureSummary;
import dev.bluepost.measurement.engine.ReportingPeriod;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The measurement benchmark (docs/performance.md, "Measurement"); not a test. Generates a practice
 * network in PostgreSQL with server-side SQL (EPs, patients, two years of visits and patient
 * messages), then times the all-EP sm-s2 report for a full year, one EP's report, and the plain SQL
 * baseline {@code select ep, count(distinct patient) … group by ep} over an (ep, patient) index; then the
 * SQL summary of ADR 0027 part 2 (one EP and every EP) and checks it against the exact path.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat cp.txt) dev.bluepost.measurement.MeasureBenchmark [scale]</pre>
 * scale 1.0 = the sizes (1 M patients, 2,000 EPs, 10 M encounters, 2 M messages).
 */
public final class MeasureBenchmark {

    public static void main(String[] args) throws Exception {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 0.05;
        // optional: a data directory kept between runs (load once, time several engine versions)
        // and a mode
        java.io.File dataDir = args.length > 1 ? new java.io.File(args[1]) : null;
        String mode = args.length > 2 ? args[2] : "all"; // load | time | all
        int allRuns = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int eps = (int) Math.round(2000 * scale);
        int patients = (int) Math.round(1_000_000 * scale);
        int encounters = (int) Math.round(10_000_000 * scale);
        int messages = (int) Math.round(2_000_000 * scale);
        System.out.printf(
                "scale=%s eps=%d patients=%d encounters=%d messages=%d%n",
                scale, eps, patients, encounters, messages);
        EmbeddedPostgres.Builder builder =
                EmbeddedPostgres.builder()
                        .setServerConfig("shared_buffers", "2GB")
                        .setServerConfig("work_mem", "256MB")
                        .setServerConfig("maintenance_work_mem", "1GB")
                        .setServerConfig("effective_cache_size", "8GB")
                        .setServerConfig("max_wal_size", "8GB")
                        // loading only: a crash loses nothing we cannot regenerate; the timed
                        // queries only read
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off");
        if (dataDir != null) {
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
        }
        try (EmbeddedPostgres pg = builder.start()) {
            DataSource db = pg.getPostgresDatabase();
            long tm = System.nanoTime();
            // on a data directory loaded by an earlier version this applies the newer migrations:
            // the
            // aggregates of ADR 0027 part 2 are backfilled from the rows already there
            int applied =
                    Flyway.configure()
                            .dataSource(db)
                            .locations("classpath:db/migration")
                            .load()
                            .migrate()
                            .migrationsExecuted;
            System.out.printf(
                    "migrate: %d migration(s) in %.1f s (load %s)%n",
                    applied, (System.nanoTime() - tm) / 1e9, loadAverage());
            if (applied > 0) {
                try (Connection c = db.getConnection();
                        Statement s = c.createStatement()) {
                    s.execute("vacuum analyze");
                }
            }
            long t0 = System.nanoTime();
            boolean loaded;
            try (Connection c = db.getConnection();
                    Statement s = c.createStatement();
                    ResultSet r =
                            s.executeQuery("select to_regclass('baseline_visit') is not null")) {
                r.next();
                loaded = r.getBoolean(1);
            }
            if (!loaded && !mode.equals("time"))
                try (Connection c = db.getConnection();
                        Statement s = c.createStatement()) {
                    s.execute(
                            "insert into practice (id, version, resource, created_at, updated_at, name, time_zone, active) values "
                                    + "('00000000-0000-0000-0000-000000000001', 1, '{}', now(), now(), 'Bench', 'America/Chicago', true)");
                    s.execute(
                            "insert into location (id, version, resource, created_at, updated_at, practice_id, name, cehrt_equipped, county, state, status) "
                                    + "select md5('l'||i)::uuid, 1, '{}', now(), now(), '00000000-0000-0000-0000-000000000001', 'L', i % 10 <> 0, 'County'||(i % 7), 'IL', 'active' "
                                    + "from generate_series(1, 50) i");
                    s.execute(
                            "insert into practitioner (id, version, resource, created_at, updated_at, npi, display_name, active) "
                                    + "select md5('e'||i)::uuid, 1, '{}', now(), now(), (1000000000 + i)::text, 'EP '||i, true from generate_series(1, "
                                    + eps
                                    + ") i");
                    s.execute(
                            "insert into practitioner_practice select md5('e'||i)::uuid, '00000000-0000-0000-0000-000000000001' from generate_series(1, "
                                    + eps
                                    + ") i");
                    s.execute(
                            "insert into patient (id, version, resource, created_at, updated_at, practice_id, display_name, test_patient, active) "
                                    + "select md5('p'||i)::uuid, 1, '{}', now(), now(), '00000000-0000-0000-0000-000000000001', 'P', i % 1000 = 0, true "
                                    + "from generate_series(1, "
                                    + patients
                                    + ") i");
                    // each patient mostly sees "their" EP; visits spread over 2025-01-01 ..
                    // 2026-12-31
                    s.execute(
                            "create temporary table gen as select i, (1 + floor(random() * "
                                    + patients
                                    + "))::int as p, "
                                    + "(date '2025-01-01' + floor(random() * 730)::int) as d, floor(random() * 50)::int + 1 as l, random() as r "
                                    + "from generate_series(1, "
                                    + encounters
                                    + ") i");
                    s.execute(
                            "insert into encounter (id, version, resource, created_at, updated_at, practice_id, patient_id, status, class_code, period_start, service_date, location_id) "
                                    + "select md5('x'||i)::uuid, 1, '{}', now(), now(), '00000000-0000-0000-0000-000000000001', md5('p'||p)::uuid, "
                                    + "case when r < 0.05 then 'cancelled' else 'finished' end, 'AMB', d + time '15:00', d, md5('l'||l)::uuid from gen");
                    s.execute(
                            "insert into encounter_participant (encounter_id, practitioner_id, type) "
                                    + "select md5('x'||i)::uuid, md5('e'||(case when r < 0.8 then 1 + p % "
                                    + eps
                                    + " else 1 + (i::bigint * 7919) % "
                                    + eps
                                    + " end))::uuid, 'PPRF' from gen");
                    s.execute(
                            "insert into mu_message_fact (message_id, practice_id, patient_id, thread_id, sender_type, sender_id, sender_kind, secure, automatic, received_at, recorded_at) "
                                    + "select md5('m'||i)::uuid, '00000000-0000-0000-0000-000000000001', md5('p'||q)::uuid, md5('t'||i)::uuid, 'Patient', md5('p'||q)::uuid, 'PATIENT', true, false, "
                                    + "timestamptz '2025-01-01 00:00+00' + random() * interval '730 days', now() "
                                    + "from (select i, 1 + floor(random() * "
                                    + patients
                                    + ")::int as q from generate_series(1, "
                                    + messages
                                    + ") i) x");
                    s.execute(
                            "insert into mu_message_recipient_fact select m.message_id, 'Practitioner', md5('e'||(1 + (('x'||substr(m.patient_id::text, 1, 7))::bit(28)::int) % "
                                    + eps
                                    + "))::uuid "
                                    + "from mu_message_fact m");
                    // the baseline's table: (ep, patient) per visit, with the (ep, patient) index
                    s.execute(
                            "create table baseline_visit as select ep.practitioner_id as ep, e.patient_id as patient, e.service_date as day "
                                    + "from encounter e join encounter_participant ep on ep.encounter_id = e.id");
                    s.execute(
                            "create index baseline_visit_ep_patient on baseline_visit (ep, patient)");
                    s.execute("vacuum analyze");
                }
            System.out.printf(
                    "load: %.1f s (already loaded: %s)%n", (System.nanoTime() - t0) / 1e9, loaded);
            if (mode.equals("load")) {
                return;
            }
            // the application draws connections from a pool (Agroal); zonky's DataSource opens a
            // new one per call,
            // so the timed part reuses one open connection, as a pool would hand out
            Connection shared = db.getConnection();
            DataSource pooled =
                    (DataSource)
                            java.lang.reflect.Proxy.newProxyInstance(
                                    DataSource.class.getClassLoader(),
                                    new Class<?>[] {DataSource.class},
                                    (proxy, method, margs) -> {
                                        if (!method.getName().equals("getConnection")) {
                                            return method.invoke(db, margs);
                                        }
                                        return java.lang.reflect.Proxy.newProxyInstance(
                                                Connection.class.getClassLoader(),
                                                new Class<?>[] {Connection.class},
                                                (cp, cm, cargs) -> {
                                                    if (cm.getName().equals("close")) {
                                                        shared.setReadOnly(false);
                                                        shared.setAutoCommit(true);
                                                        return null;
                                                    }
                                                    return cm.invoke(shared, cargs);
                                                });
                                    });
            MeasureEvaluator engine = new MeasureEvaluator(pooled, ZoneId.of("America/New_York"));
            MeasureSummary summaries =
                    new MeasureSummary(pooled, ZoneId.of("America/New_York"), engine);
            ReportingPeriod year =
                    new ReportingPeriod(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31));
            List<Ep> all = engine.eps(null, null);
            System.out.println("load average before the timed runs: " + loadAverage());
            List<Double> oneEp = new ArrayList<>();
            for (int run = 0; run < 20; run++) {
                Ep ep = all.get(run % all.size());
                long t = System.nanoTime();
                engine.evaluate(
                        MeasureId.SM_S2,
                        year,
                        MeasurePolicies.defaults(),
                        List.of(ep),
                        LocalDate.of(2026, 1, 31),
                        Instant.now());
                oneEp.add((System.nanoTime() - t) / 1e6);
            }
            System.out.printf(
                    "one EP sm-s2 full year: median %.1f ms, max %.1f ms over %d runs %s (load %s)%n",
                    median(oneEp), Collections.max(oneEp), oneEp.size(), oneEp, loadAverage());
            List<Double> baseline = new ArrayList<>();
            try (Connection c = db.getConnection();
                    Statement s = c.createStatement()) {
                for (int run = 0; run < 3; run++) {
                    long t = System.nanoTime();
                    int rows = 0;
                    try (ResultSet r =
                            s.executeQuery(
                                    "select ep, count(distinct patient) from baseline_visit group by ep")) {
                        while (r.next()) {
                            rows++;
                        }
                    }
                    baseline.add((System.nanoTime() - t) / 1e6);
                    if (rows != eps) {
                        System.out.println("baseline rows " + rows);
                    }
                }
            }
            System.out.printf(
                    "baseline count(distinct) group by ep (whole table): median %.0f ms (runs %s) (load %s)%n",
                    median(baseline), baseline, loadAverage());
            // the SQL summary (ADR 0027 part 2): one EP, then every EP
            List<Double> oneSummary = new ArrayList<>();
            for (int run = 0; run < 20; run++) {
                Ep ep = all.get((run * 7) % all.size());
                long t = System.nanoTime();
                summaries.summarize(
                        MeasureId.SM_S2,
                        year,
                        MeasurePolicies.defaults(),
                        List.of(ep),
                        LocalDate.of(2026, 1, 31),
                        Instant.now());
                oneSummary.add((System.nanoTime() - t) / 1e6);
            }
            System.out.printf(
                    "one EP sm-s2 full year, SQL summary: median %.1f ms, max %.1f ms over %d runs %s (load %s)%n",
                    median(oneSummary),
                    Collections.max(oneSummary),
                    oneSummary.size(),
                    oneSummary,
                    loadAverage());
            List<Double> allSummary = new ArrayList<>();
            List<EpMeasureReport> summary = null;
            for (int run = 0; run < 5; run++) {
                long t = System.nanoTime();
                summary =
                        summaries
                                .sqlSummary(
                                        MeasureId.SM_S2,
                                        year,
                                        MeasurePolicies.defaults(),
                                        all,
                                        Instant.now())
                                .orElseThrow(
                                        () ->
                                                new IllegalStateException(
                                                        "the SQL summary does not serve this report"));
                allSummary.add((System.nanoTime() - t) / 1e6);
                System.out.printf(
                        "all-EP SQL summary run %d: %.0f ms (load %s)%n",
                        run + 1, allSummary.get(run), loadAverage());
            }
            System.out.printf(
                    "all-EP sm-s2 full year, SQL summary: median %.0f ms (runs %s), sum of numerators %d, of denominators %d%n",
                    median(allSummary),
                    allSummary,
                    summary.stream().mapToLong(EpMeasureReport::numeratorCount).sum(),
                    summary.stream().mapToLong(EpMeasureReport::denominatorCount).sum());
            // a period that is not a whole year or quarter counts the pairs of its year
            ReportingPeriod days90 =
                    new ReportingPeriod(LocalDate.of(2025, 4, 3), LocalDate.of(2025, 7, 1));
            List<Double> all90 = new ArrayList<>();
            for (int run = 0; run < 3; run++) {
                long t = System.nanoTime();
                summaries
                        .sqlSummary(
                                MeasureId.SM_S2,
                                days90,
                                MeasurePolicies.defaults(),
                                all,
                                Instant.now())
                        .orElseThrow();
                all90.add((System.nanoTime() - t) / 1e6);
            }
            System.out.printf(
                    "all-EP sm-s2 90 days (%s), SQL summary: median %.0f ms (runs %s) (load %s)%n",
                    days90, median(all90), all90, loadAverage());
            writeCost(db, eps, patients);
            List<Double> allEp = new ArrayList<>();
            long numerators = 0;
            List<EpMeasureReport> exact = null;
            for (int run = 0; run < allRuns; run++) {
                long t = System.nanoTime();
                exact =
                        engine.evaluate(
                                MeasureId.SM_S2,
                                year,
                                MeasurePolicies.defaults(),
                                all,
                                LocalDate.of(2026, 1, 31),
                                Instant.now());
                allEp.add((System.nanoTime() - t) / 1e6);
                numerators = exact.stream().mapToLong(EpMeasureReport::numeratorCount).sum();
                System.out.printf(
                        "all-EP run %d: %.0f ms (load %s)%n",
                        run + 1, allEp.get(run), loadAverage());
            }
            if (exact != null) {
                int differ = 0;
                for (int i = 0; i < exact.size(); i++) {
                    EpMeasureReport e = exact.get(i);
                    EpMeasureReport q = summary.get(i);
                    if (!e.counts().equals(q.counts())
                            || !e.cehrt().equals(q.cehrt())
                            || !e.exclusions().equals(q.exclusions())
                            || e.thresholdMet() != q.thresholdMet()) {
                        differ++;
                    }
                }
                System.out.printf(
                        "SQL summary vs exact path: %d of %d EPs differ (counts, CEHRT share, exclusions, met)%n",
                        differ, exact.size());
            }
            System.out.println("load average after the timed runs: " + loadAverage());
            if (!allEp.isEmpty()) {
                System.out.printf(
                        "all-EP sm-s2 full year: median %.0f ms (runs %s), sum of numerators %d%n",
                        median(allEp), allEp, numerators);
            }
        }
    }

    /**
     * What the aggregates' triggers cost a bulk write: 10,000 encounters and their participants in two
     * statements (the encounter feed's form), with the triggers and with them off
     * ({@code session_replication_role = replica}); both rolled back.
     */
    private static void writeCost(DataSource db, int eps, int patients) throws Exception {
        for (String mode : new String[] {"origin", "replica", "origin", "replica"}) {
            try (Connection c = db.getConnection();
                    Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("set session_replication_role = " + mode);
                long t = System.nanoTime();
                s.execute(
                        "insert into encounter (id, version, resource, created_at, updated_at, practice_id, patient_id, status, class_code, period_start, service_date, location_id) "
                                + "select md5('w'||i)::uuid, 1, '{}', now(), now(), '00000000-0000-0000-0000-000000000001', md5('p'||(1 + i % "
                                + patients
                                + "))::uuid, "
                                + "'finished', 'AMB', timestamptz '2025-06-01 15:00+00', date '2025-06-01' + (i % 30), md5('l'||(1 + i % 50))::uuid "
                                + "from generate_series(1, 10000) i");
                s.execute(
                        "insert into encounter_participant (encounter_id, practitioner_id, type) "
                                + "select md5('w'||i)::uuid, md5('e'||(1 + i % "
                                + eps
                                + "))::uuid, 'PPRF' from generate_series(1, 10000) i");
                double ms = (System.nanoTime() - t) / 1e6;
                c.rollback();
                System.out.printf(
                        "write cost: 10,000 encounters + participants, triggers %s: %.0f ms (load %s)%n",
                        mode.equals("origin") ? "on" : "off", ms, loadAverage());
            }
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
