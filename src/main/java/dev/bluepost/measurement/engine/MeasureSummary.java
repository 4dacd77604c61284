package dev.bluepost.measurement.engine;

import dev.bluepost.measurement.engine.EpMeasureReport.CehrtShare;
import dev.bluepost.measurement.engine.MeasureReads.BroadbandRow;
import dev.bluepost.measurement.engine.MeasureReads.Patients;
import dev.bluepost.measurement.engine.MeasureReads.Tally;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The SQL summary of a measure: a report without patient lists (counts, met flag, exclusions with
 * evidence, CEHRT share) read from the aggregates PostgreSQL maintains with its triggers (ADR 0027
 * part 2, ADR 0031), for SM-S2; any other report, and any SM-S2 report the aggregates cannot serve,
 * comes from the exact path, {@link MeasureEvaluator}. docs/measurement.md explains the rules.
 *
 * <p>Plain JDBC over a {@link DataSource}, no CDI, like the evaluator.
 */
public class MeasureSummary {

    private final DataSource dataSource;
    private final MeasureReads reads;
    private final MeasureEvaluator exact;

    /** @param exact answers the reports the aggregates cannot serve */
    public MeasureSummary(DataSource dataSource, ZoneId defaultZone, MeasureEvaluator exact) {
        this.dataSource = dataSource;
        this.reads = new MeasureReads(defaultZone);
        this.exact = exact;
    }

    /**
     * A report without patient lists (counts, met flag, exclusions with evidence, CEHRT share). SM-S2 comes
     * from the aggregates PostgreSQL maintains (ADR 0027 part 2) whenever {@link #sqlSummary} can serve it;
     * everything else from the exact path, {@link MeasureEvaluator#evaluate}.
     */
    public List<EpMeasureReport> summarize(
            MeasureId measure,
            ReportingPeriod period,
            MeasurePolicies policies,
            List<Ep> eps,
            LocalDate attestation,
            Instant asOf) {
        return sqlSummary(measure, period, policies, eps, asOf)
                .orElseGet(() -> exact.evaluate(measure, period, policies, eps, attestation, asOf));
    }

    /**
     * The SQL summary of SM-S2 over {@code mu_visit_pair} and {@code mu_ep_visit_day/month}, or empty when it
     * cannot serve the report: another measure, or a practice without its own time zone (the aggregate
     * dates messages in the practice's zone; the platform default is not known to the database).
     * Every §9 policy flag of SM-S2 is served: merged and test patients, proxy messages (authorization
     * when received) and pool messages (either attribution) are resolved here, exactly, for the few
     * records and messages concerned. A whole calendar year or quarter is read from per-EP tables
     * (no pair is read); any other period from the pairs of its years. When its snapshot has
     * encounters a bulk import left stale (ADR 0031), they are refreshed and the report reads again;
     * should the new snapshot have stale ones still (an import writing meanwhile), it is empty and
     * the exact path answers.
     */
    public java.util.Optional<List<EpMeasureReport>> sqlSummary(
            MeasureId measure,
            ReportingPeriod period,
            MeasurePolicies policies,
            List<Ep> eps,
            Instant asOf) {
        if (measure != MeasureId.SM_S2) {
            return java.util.Optional.empty();
        }
        if (eps.isEmpty()) {
            return java.util.Optional.of(List.of());
        }
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                // one read-only snapshot for every query of the report, set for this transaction
                // only (nothing to
                // restore for the pool), in the same round trip as its first statement
                c.setAutoCommit(false);
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute(
                            "set transaction isolation level repeatable read, read only; set local plan_cache_mode = force_custom_plan");
                }
                try {
                    return sqlSummary(c, measure, period, policies, eps, asOf);
                } catch (StaleAggregates stale) {
                    if (attempt > 1) {
                        return java.util.Optional
                                .empty(); // an import is still writing: the exact path reads its
                        // rows
                    }
                } finally {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("measure query failed", e);
            }
            // encounters a bulk import wrote without refreshing the aggregates yet: counted first
            // (ADR 0031)
            MeasureAggregates.refreshStale(dataSource);
        }
    }

    /** The snapshot has encounters whose aggregates a bulk import has not refreshed yet (ADR 0031). */
    private static final class StaleAggregates extends Exception {
        StaleAggregates() {
            super(null, null, false, false);
        }
    }

    /** The days of one year a period covers: day of year {@code from} to {@code to}, both inclusive. */
    record YearRange(int year, int from, int to, boolean whole) {}

    static List<YearRange> yearRanges(ReportingPeriod period) {
        List<YearRange> ranges = new ArrayList<>();
        for (int y = period.start().getYear(); y <= period.end().getYear(); y++) {
            LocalDate first =
                    y == period.start().getYear() ? period.start() : LocalDate.of(y, 1, 1);
            LocalDate last = y == period.end().getYear() ? period.end() : LocalDate.of(y, 12, 31);
            ranges.add(
                    new YearRange(
                            y,
                            first.getDayOfYear(),
                            last.getDayOfYear(),
                            first.getDayOfYear() == 1
                                    && last.getDayOfYear() == last.lengthOfYear()));
        }
        return ranges;
    }

    /** SQL: the sorted day-of-year array {@code column} has a day in the range (the bounds are integers, not input). */
    private static String dayIn(String column, YearRange range) {
        if (range.whole()) {
            return "(" + column + " is not null)";
        }
        String first = column + "[1]";
        String last = column + "[cardinality(" + column + ")]";
        return "("
                + column
                + " is not null and "
                + first
                + " <= "
                + range.to()
                + " and "
                + last
                + " >= "
                + range.from()
                + " and ("
                + first
                + " >= "
                + range.from()
                + " or "
                + last
                + " <= "
                + range.to()
                + " or exists (select 1 from unnest("
                + column
                + ") d where d between "
                + range.from()
                + " and "
                + range.to()
                + ")))";
    }

    private static boolean dayIn(Array array, YearRange range) throws SQLException {
        if (array == null) {
            return false;
        }
        for (Object day : (Object[]) array.getArray()) {
            int d = ((Number) day).intValue();
            if (d >= range.from() && d <= range.to()) {
                return true;
            }
        }
        return false;
    }

    /** Per pair: [seen at a CEHRT location, seen elsewhere, sent the EP a message (aggregated kinds)], in the period. */
    private static boolean[] pairFlags(ResultSet r, YearRange range, MeasurePolicies policies)
            throws SQLException {
        boolean staff = policies.includeStaffOnlyVisits();
        boolean cehrt =
                dayIn(r.getArray("seen_cehrt"), range)
                        || staff && dayIn(r.getArray("staff_cehrt"), range);
        boolean other =
                dayIn(r.getArray("seen_other"), range)
                        || staff && dayIn(r.getArray("staff_other"), range);
        return new boolean[] {cehrt, other, dayIn(r.getArray("sent"), range)};
    }

    /** Patients per EP: initial population, CEHRT denominator and its numerator, numerator over the initial population. */
    private static final class Populations {
        long initial;
        long denominatorCehrt;
        long numeratorCehrt;
        long numeratorAll;

        void add(boolean[] flags, boolean credited, long n) {
            boolean seen = flags[0] || flags[1];
            if (seen) {
                initial += n;
                if (credited) {
                    numeratorAll += n;
                }
            }
            if (flags[0]) {
                denominatorCehrt += n;
                if (credited) {
                    numeratorCehrt += n;
                }
            }
        }
    }

    record VisitKey(
            UUID ep,
            String kind,
            boolean office,
            boolean hospital,
            boolean cehrt,
            String state,
            String county) {}

    private java.util.Optional<List<EpMeasureReport>> sqlSummary(
            Connection c,
            MeasureId measure,
            ReportingPeriod period,
            MeasurePolicies policies,
            List<Ep> eps,
            Instant asOf)
            throws SQLException, StaleAggregates {
        try (PreparedStatement s =
                c.prepareStatement(
                        "select exists (select 1 from practice where time_zone is null), exists (select 1 from mu_stale_encounter), "
                                + "exists (select 1 from location_cehrt_change where effective_from > ? and effective_from <= ?)")) {
            s.setObject(1, period.start());
            s.setObject(2, period.end());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                // a location's CEHRT flag changed inside the period: whether it counts depends on
                // the period's
                // start, not on the visit alone (docs/measures.md §2.3), which only the exact path
                // knows
                if (r.getBoolean(1) || r.getBoolean(3)) {
                    return java.util.Optional.empty();
                }
                if (r.getBoolean(2)) {
                    throw new StaleAggregates();
                }
            }
        }
        Patients patients = MeasureReads.patients(c);
        Map<UUID, Ep> byId = new LinkedHashMap<>();
        eps.forEach(ep -> byId.put(ep.id(), ep));
        Array epArray = c.createArrayOf("uuid", byId.keySet().toArray());
        // Records whose canonical identity is not the record itself (merged, test) and the
        // survivors of merges:
        // their pairs are combined here, exactly; the SQL counts every other patient as recorded.
        Set<UUID> affected = new HashSet<>(patients.replacedBy.keySet());
        affected.addAll(patients.test);
        for (UUID retired : patients.replacedBy.keySet()) {
            UUID survivor = patients.canonical(retired);
            if (survivor != null) {
                affected.add(survivor);
            }
        }
        UUID[] affectedIds = affected.toArray(UUID[]::new);
        List<YearRange> ranges = yearRanges(period);
        int part = part(period);
        Map<UUID, Populations> populations = new HashMap<>();
        byId.keySet().forEach(id -> populations.put(id, new Populations()));

        // 1. every pair as recorded: a whole year or quarter from the per-EP combinations, any
        // other period from the pairs
        if (part >= 0) {
            try (PreparedStatement s =
                    c.prepareStatement(
                            """
                    select ep_id, seen_cehrt, seen_other, staff_cehrt, staff_other, sent, n from mu_ep_pair_part
                    where ep_id = any(?) and year = ? and part = ?""")) {
                s.setArray(1, epArray);
                s.setInt(2, period.start().getYear());
                s.setInt(3, part);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        boolean staff = policies.includeStaffOnlyVisits();
                        boolean[] flags = {
                            r.getBoolean(2) || staff && r.getBoolean(4),
                            r.getBoolean(3) || staff && r.getBoolean(5)
                        };
                        populations
                                .get(r.getObject(1, UUID.class))
                                .add(flags, r.getBoolean(6), r.getLong(7));
                    }
                }
            }
        } else {
            String countSql;
            if (ranges.size() == 1) {
                YearRange y = ranges.get(0);
                countSql =
                        """
                        select ep_id, count(*) filter (where c or o), count(*) filter (where c), count(*) filter (where c and m),
                               count(*) filter (where (c or o) and m)
                        from (select x.ep_id, %s as c, %s as o, %s as m
                              from mu_visit_pair x where x.year = %d and x.ep_id = any(?)) p
                        group by ep_id"""
                                .formatted(
                                        cehrtIn(y, policies),
                                        otherIn(y, policies),
                                        dayIn("x.sent", y),
                                        y.year());
            } else {
                StringBuilder cc = new StringBuilder("case x.year");
                StringBuilder oc = new StringBuilder("case x.year");
                StringBuilder mc = new StringBuilder("case x.year");
                for (YearRange y : ranges) {
                    cc.append(" when ")
                            .append(y.year())
                            .append(" then ")
                            .append(cehrtIn(y, policies));
                    oc.append(" when ")
                            .append(y.year())
                            .append(" then ")
                            .append(otherIn(y, policies));
                    mc.append(" when ")
                            .append(y.year())
                            .append(" then ")
                            .append(dayIn("x.sent", y));
                }
                countSql =
                        """
                        select ep_id, count(*) filter (where c or o), count(*) filter (where c), count(*) filter (where c and m),
                               count(*) filter (where (c or o) and m)
                        from (select x.ep_id, x.patient_id, bool_or(%s end) as c, bool_or(%s end) as o, bool_or(%s end) as m
                              from mu_visit_pair x where x.year between %d and %d and x.ep_id = any(?)
                              group by x.ep_id, x.patient_id) p
                        group by ep_id"""
                                .formatted(
                                        cc,
                                        oc,
                                        mc,
                                        ranges.get(0).year(),
                                        ranges.get(ranges.size() - 1).year());
            }
            try (PreparedStatement s = c.prepareStatement(countSql)) {
                s.setArray(1, epArray);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        Populations p = populations.get(r.getObject(1, UUID.class));
                        p.initial += r.getLong(2);
                        p.denominatorCehrt += r.getLong(3);
                        p.numeratorCehrt += r.getLong(4);
                        p.numeratorAll += r.getLong(5);
                    }
                }
            }
        }

        // 2. the affected records: their pairs as recorded come out again, and go back in per EP
        // and canonical patient
        String pairColumns =
                "x.year, x.ep_id, x.patient_id, x.seen_cehrt, x.seen_other, x.staff_cehrt, x.staff_other, x.sent";
        Map<UUID, Map<UUID, boolean[]>> combined = new HashMap<>();
        if (affectedIds.length > 0) {
            Map<UUID, Map<UUID, boolean[]>> recorded = new HashMap<>();
            // one probe per affected record (patient index): the same few pages for every report,
            // whichever EPs
            try (PreparedStatement s =
                    c.prepareStatement(
                            "select "
                                    + pairColumns
                                    + " from mu_visit_pair x "
                                    + "where x.patient_id = any(?) and x.ep_id = any(?) and x.year between ? and ?")) {
                s.setArray(1, c.createArrayOf("uuid", affectedIds));
                s.setArray(2, epArray);
                s.setInt(3, ranges.get(0).year());
                s.setInt(4, ranges.get(ranges.size() - 1).year());
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        YearRange range = range(ranges, r.getInt("year"));
                        if (range == null) {
                            continue;
                        }
                        UUID ep = r.getObject("ep_id", UUID.class);
                        UUID recordedId = r.getObject("patient_id", UUID.class);
                        boolean[] flags = pairFlags(r, range, policies);
                        or(
                                recorded.computeIfAbsent(ep, k -> new HashMap<>())
                                        .computeIfAbsent(recordedId, k -> new boolean[3]),
                                flags);
                        UUID patient = patients.canonical(recordedId);
                        if (patient != null) {
                            or(
                                    combined.computeIfAbsent(ep, k -> new HashMap<>())
                                            .computeIfAbsent(patient, k -> new boolean[3]),
                                    flags);
                        }
                    }
                }
            }
            recorded.forEach(
                    (ep, byPatient) ->
                            byPatient
                                    .values()
                                    .forEach(
                                            flags -> populations.get(ep).add(flags, flags[2], -1)));
        }

        // 3. proxy and pool messages, exactly as the exact path credits them
        Map<UUID, Map<UUID, List<UUID>>> exceptional =
                reads.patientSent(c, byId, period, policies, patients, null, true);
        List<UUID> lookupEps = new ArrayList<>();
        List<UUID> lookupPatients = new ArrayList<>();
        exceptional.forEach(
                (ep, credited) ->
                        credited.keySet()
                                .forEach(
                                        patient -> {
                                            if (affected.contains(patient)) {
                                                combined.computeIfAbsent(ep, k -> new HashMap<>())
                                                                .computeIfAbsent(
                                                                        patient,
                                                                        k -> new boolean[3])[2] =
                                                        true;
                                            } else {
                                                lookupEps.add(ep);
                                                lookupPatients.add(patient);
                                            }
                                        }));
        combined.forEach(
                (ep, byPatient) ->
                        byPatient
                                .values()
                                .forEach(flags -> populations.get(ep).add(flags, flags[2], 1)));
        if (!lookupEps.isEmpty()) {
            // counted in step 1 as seen; in the numerator only if they also sent the EP a message
            // directly
            Map<UUID, Map<UUID, boolean[]>> looked = new HashMap<>();
            try (PreparedStatement s =
                    c.prepareStatement(
                            "select "
                                    + pairColumns
                                    + " from mu_visit_pair x "
                                    + "where (x.ep_id, x.patient_id) in (select * from unnest(cast(? as uuid[]), cast(? as uuid[]))) and x.year between ? and ?")) {
                s.setArray(1, c.createArrayOf("uuid", lookupEps.toArray()));
                s.setArray(2, c.createArrayOf("uuid", lookupPatients.toArray()));
                s.setInt(3, ranges.get(0).year());
                s.setInt(4, ranges.get(ranges.size() - 1).year());
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        YearRange range = range(ranges, r.getInt("year"));
                        if (range != null) {
                            or(
                                    looked.computeIfAbsent(
                                                    r.getObject("ep_id", UUID.class),
                                                    k -> new HashMap<>())
                                            .computeIfAbsent(
                                                    r.getObject("patient_id", UUID.class),
                                                    k -> new boolean[3]),
                                    pairFlags(r, range, policies));
                        }
                    }
                }
            }
            looked.forEach(
                    (ep, byPatient) ->
                            byPatient
                                    .values()
                                    .forEach(
                                            flags -> {
                                                if (!flags[2]) {
                                                    Populations p = populations.get(ep);
                                                    if (flags[0] || flags[1]) {
                                                        p.numeratorAll++;
                                                    }
                                                    if (flags[0]) {
                                                        p.numeratorCehrt++;
                                                    }
                                                }
                                            }));
        }

        // 4. encounter counts (test patients are not counted at the source)
        Map<VisitKey, Long> visits = visitCounts(c, epArray, period, part);

        Map<String, BroadbandRow> broadband = MeasureReads.broadband(c, period.start());
        int mbps = measure.broadbandMbps(period.programYear());
        Threshold threshold = measure.threshold(period.programYear());
        List<String> warnings = period.warnings(measure);
        Map<UUID, Tally> tallies = new HashMap<>();
        visits.forEach(
                (k, n) -> {
                    if (n > 0 && (!"S".equals(k.kind()) || policies.includeStaffOnlyVisits())) {
                        tallies.computeIfAbsent(k.ep(), e -> new Tally(broadband, mbps))
                                .add(k.office(), k.hospital(), k.cehrt(), k.state(), k.county(), n);
                    }
                });
        List<EpMeasureReport> reports = new ArrayList<>();
        for (Ep ep : eps) {
            Tally tally = tallies.getOrDefault(ep.id(), new Tally(broadband, mbps));
            CehrtShare cehrt = tally.cehrtShare();
            Populations p = populations.get(ep.id());
            boolean everyLocation =
                    policies.includeNonCehrtEncountersEnteredInCehrt() && cehrt.eligible();
            long denominator = everyLocation ? p.initial : p.denominatorCehrt;
            long numerator = everyLocation ? p.numeratorAll : p.numeratorCehrt;
            EpMeasureReport.Counts counts =
                    new EpMeasureReport.Counts(
                            p.initial, denominator, p.initial - denominator, numerator);
            reports.add(
                    MeasureReads.report(
                            measure, period, policies, ep, tally, cehrt, broadband, mbps, threshold,
                            warnings, null, Map.of(), asOf, Map.of(), Map.of(), Map.of(), Map.of(),
                            counts, false, null));
        }
        return java.util.Optional.of(reports);
    }

    private static String cehrtIn(YearRange y, MeasurePolicies policies) {
        return policies.includeStaffOnlyVisits()
                ? "(" + dayIn("x.seen_cehrt", y) + " or " + dayIn("x.staff_cehrt", y) + ")"
                : dayIn("x.seen_cehrt", y);
    }

    private static String otherIn(YearRange y, MeasurePolicies policies) {
        return policies.includeStaffOnlyVisits()
                ? "(" + dayIn("x.seen_other", y) + " or " + dayIn("x.staff_other", y) + ")"
                : dayIn("x.seen_other", y);
    }

    private static YearRange range(List<YearRange> ranges, int year) {
        return ranges.stream().filter(r -> r.year() == year).findFirst().orElse(null);
    }

    private static void or(boolean[] into, boolean[] flags) {
        for (int i = 0; i < into.length; i++) {
            into[i] |= flags[i];
        }
    }

    /** 0 when the period is one whole calendar year, 1–4 when it is one whole calendar quarter, otherwise -1. */
    static int part(ReportingPeriod period) {
        if (period.isFullCalendarYear()) {
            return 0;
        }
        return period.isCalendarQuarter() ? (period.start().getMonthValue() - 1) / 3 + 1 : -1;
    }

    /** Encounter counts per EP and traits: a whole year or quarter from the part table, whole months from the month table, the rest by day. */
    private static Map<VisitKey, Long> visitCounts(
            Connection c, Array eps, ReportingPeriod period, int part) throws SQLException {
        Map<VisitKey, Long> counts = new HashMap<>();
        String columns = "ep_id, kind, office, hospital, cehrt, state, county";
        if (part >= 0) {
            try (PreparedStatement s =
                    c.prepareStatement(
                            "select "
                                    + columns
                                    + ", n from mu_ep_visit_part where ep_id = any(?) and year = ? and part = ?")) {
                s.setArray(1, eps);
                s.setInt(2, period.start().getYear());
                s.setInt(3, part);
                readVisitCounts(s, counts);
            }
            return counts;
        }
        LocalDate firstMonth =
                period.start().getDayOfMonth() == 1
                        ? period.start()
                        : period.start().withDayOfMonth(1).plusMonths(1);
        LocalDate lastMonth =
                period.end().equals(period.end().withDayOfMonth(period.end().lengthOfMonth()))
                        ? period.end().withDayOfMonth(1)
                        : period.end().withDayOfMonth(1).minusMonths(1);
        if (!firstMonth.isAfter(lastMonth)) {
            LocalDate wholeEnd = lastMonth.plusMonths(1).minusDays(1);
            try (PreparedStatement s =
                    c.prepareStatement(
                            "select "
                                    + columns
                                    + ", sum(n) from ("
                                    + "select "
                                    + columns
                                    + ", n from mu_ep_visit_month where ep_id = any(?) and month between ? and ? "
                                    + "union all select "
                                    + columns
                                    + ", n from mu_ep_visit_day where ep_id = any(?) and (day between ? and ? or day between ? and ?)"
                                    + ") t group by "
                                    + columns)) {
                s.setArray(1, eps);
                s.setObject(2, firstMonth);
                s.setObject(3, lastMonth);
                s.setArray(4, eps);
                s.setObject(5, period.start());
                s.setObject(6, firstMonth.minusDays(1));
                s.setObject(7, wholeEnd.plusDays(1));
                s.setObject(8, period.end());
                readVisitCounts(s, counts);
            }
        } else {
            try (PreparedStatement s =
                    c.prepareStatement(
                            "select "
                                    + columns
                                    + ", sum(n) from mu_ep_visit_day "
                                    + "where ep_id = any(?) and day between ? and ? group by "
                                    + columns)) {
                s.setArray(1, eps);
                s.setObject(2, period.start());
                s.setObject(3, period.end());
                readVisitCounts(s, counts);
            }
        }
        return counts;
    }

    private static void readVisitCounts(PreparedStatement s, Map<VisitKey, Long> counts)
            throws SQLException {
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                VisitKey key =
                        new VisitKey(
                                r.getObject(1, UUID.class),
                                r.getString(2),
                                r.getBoolean(3),
                                r.getBoolean(4),
                                r.getBoolean(5),
                                r.getString(6),
                                r.getString(7));
                counts.merge(key, r.getLong(8), Long::sum);
            }
        }
    }
}
