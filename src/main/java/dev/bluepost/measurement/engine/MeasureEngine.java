package dev.bluepost.measurement.engine;

import dev.bluepost.measurement.engine.EpMeasureReport.CehrtShare;
import dev.bluepost.measurement.engine.EpMeasureReport.Exclusion;
import dev.bluepost.measurement.engine.EpMeasureReport.PatientEntry;
import dev.bluepost.measurement.engine.MeasurePolicies.PeaActionWindow;
import dev.bluepost.measurement.engine.MeasurePolicies.PoolAttribution;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Computes the Meaningful Use measures of docs/measures.md for a set of EPs, over PostgreSQL. The SQL
 * selects the facts of the period (qualifying encounters per EP, candidate numerator events); the
 * rules that need the whole picture (unique canonical patients, numerator ⊆ denominator, the 50 %
 * CEHRT test, exclusions, business days) are applied here, once per EP. docs/measurement.md
 * explains every rule and policy flag.
 *
 * <p>Plain JDBC over a {@link DataSource}, no CDI: {@code MeasurementService} wires it in the
 * application; tests run it directly over a real PostgreSQL.
 */
public class MeasureEngine {

    static final Set<String> OFFICE_CLASSES = Set.of("AMB", "VR");
    /** Hospital inpatient and emergency encounters are not "patient encounters" of the 50 % CEHRT test (POS 21/23). */
    static final Set<String> HOSPITAL_CLASSES = Set.of("IMP", "EMER", "ACUTE", "NONAC", "SS", "OBSENC", "PRENC");
    static final String POS_SYSTEM = "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set";

    /** Up to this many EPs, the message queries are narrowed to the EPs' patients (index on patient id). */
    static final int FEW_EPS = 10;

    private final DataSource dataSource;
    private final ZoneId defaultZone;
    private final int fewEps;
    private final PortalCapabilities portal;

    /** The engine of this platform: Bluepost's patient portal ({@link PortalCapabilities#BLUEPOST}). */
    public MeasureEngine(DataSource dataSource, ZoneId defaultZone) {
        this(dataSource, defaultZone, FEW_EPS);
    }

    /** @param fewEps up to this many EPs in a report, narrow the message queries to their patients */
    public MeasureEngine(DataSource dataSource, ZoneId defaultZone, int fewEps) {
        this(dataSource, defaultZone, fewEps, PortalCapabilities.BLUEPOST);
    }

    /** @param portal what the patient portal lets patients do (PEA-S2-M1 needs view, download and transmit) */
    public MeasureEngine(DataSource dataSource, ZoneId defaultZone, int fewEps, PortalCapabilities portal) {
        this.dataSource = dataSource;
        this.defaultZone = defaultZone;
        this.fewEps = fewEps;
        this.portal = portal;
    }

    /** An EP in scope of a report. */
    public record Ep(UUID id, String npi, String name, Set<UUID> practiceIds) {
    }

    /** A patient message to a pool in the period that credits no EP (§9.4, §10 row 35). */
    public record UnattributedMessage(UUID messageId, UUID patientId, UUID practiceId, List<UUID> poolIds, Instant receivedAt) {
    }

    /** The EPs (practitioners with an NPI) of the given practices, or the one EP asked for. */
    public List<Ep> eps(Collection<UUID> practiceIds, UUID practitionerId) {
        String sql = """
                select p.id, p.npi, p.display_name, array_agg(pp.practice_id) as practices
                from practitioner p join practitioner_practice pp on pp.practitioner_id = p.id
                where p.npi is not null and (cast(? as uuid[]) is null or pp.practice_id = any(?)) and (cast(? as uuid) is null or p.id = ?)
                group by p.id, p.npi, p.display_name order by p.display_name, p.id""";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            Array practices = practiceIds == null ? null : c.createArrayOf("uuid", practiceIds.toArray());
            s.setArray(1, practices);
            s.setArray(2, practices);
            s.setObject(3, practitionerId);
            s.setObject(4, practitionerId);
            List<Ep> eps = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    eps.add(new Ep(r.getObject(1, UUID.class), r.getString(2), r.getString(3), Set.of(uuids(r.getArray(4)))));
                }
            }
            return eps;
        } catch (SQLException e) {
            throw new IllegalStateException("measure query failed", e);
        }
    }

    /**
     * Evaluates one measure for the EPs.
     *
     * @param attestation the attestation date: PEA numerator actions up to this local date count (FAQ 8231)
     * @param asOf        when the report was produced
     */
    public List<EpMeasureReport> evaluate(MeasureId measure, ReportingPeriod period, MeasurePolicies policies, List<Ep> eps,
                                          LocalDate attestation, Instant asOf) {
        if (eps.isEmpty()) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            // Plan every query with its actual values: a cached generic plan does not know how many EPs or
            // patients the arrays hold and, after a few executions, trades the index lookups of a one-EP
            // report for scans (ADR 0027). Reset before the connection goes back to the pool.
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("set plan_cache_mode = force_custom_plan");
            }
            try {
                return evaluate(c, measure, period, policies, eps, attestation, asOf);
            } finally {
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute("reset plan_cache_mode");
                } catch (SQLException ignored) {
                    // the connection is broken or its transaction failed; the pool discards or rolls it back
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("measure query failed", e);
        }
    }

    /**
     * A report without patient lists (counts, met flag, exclusions with evidence, CEHRT share). SM-S2 comes
     * from the aggregates PostgreSQL maintains (ADR 0027 part 2) whenever {@link #sqlSummary} can serve it;
     * everything else from the exact path, {@link #evaluate}.
     */
    public List<EpMeasureReport> summarize(MeasureId measure, ReportingPeriod period, MeasurePolicies policies, List<Ep> eps,
                                           LocalDate attestation, Instant asOf) {
        return sqlSummary(measure, period, policies, eps, asOf).orElseGet(() -> evaluate(measure, period, policies, eps, attestation, asOf));
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
    public java.util.Optional<List<EpMeasureReport>> sqlSummary(MeasureId measure, ReportingPeriod period, MeasurePolicies policies,
                                                                List<Ep> eps, Instant asOf) {
        if (measure != MeasureId.SM_S2) {
            return java.util.Optional.empty();
        }
        if (eps.isEmpty()) {
            return java.util.Optional.of(List.of());
        }
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                // one read-only snapshot for every query of the report, set for this transaction only (nothing to
                // restore for the pool), in the same round trip as its first statement
                c.setAutoCommit(false);
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute("set transaction isolation level repeatable read, read only; set local plan_cache_mode = force_custom_plan");
                }
                try {
                    return sqlSummary(c, measure, period, policies, eps, asOf);
                } catch (StaleAggregates stale) {
                    if (attempt > 1) {
                        return java.util.Optional.empty(); // an import is still writing: the exact path reads its rows
                    }
                } finally {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("measure query failed", e);
            }
            // encounters a bulk import wrote without refreshing the aggregates yet: counted first (ADR 0031)
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
    record YearRange(int year, int from, int to, boolean whole) {
    }

    static List<YearRange> yearRanges(ReportingPeriod period) {
        List<YearRange> ranges = new ArrayList<>();
        for (int y = period.start().getYear(); y <= period.end().getYear(); y++) {
            LocalDate first = y == period.start().getYear() ? period.start() : LocalDate.of(y, 1, 1);
            LocalDate last = y == period.end().getYear() ? period.end() : LocalDate.of(y, 12, 31);
            ranges.add(new YearRange(y, first.getDayOfYear(), last.getDayOfYear(),
                    first.getDayOfYear() == 1 && last.getDayOfYear() == last.lengthOfYear()));
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
        return "(" + column + " is not null and " + first + " <= " + range.to() + " and " + last + " >= " + range.from()
                + " and (" + first + " >= " + range.from() + " or " + last + " <= " + range.to()
                + " or exists (select 1 from unnest(" + column + ") d where d between " + range.from() + " and " + range.to() + ")))";
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
    private static boolean[] pairFlags(ResultSet r, YearRange range, MeasurePolicies policies) throws SQLException {
        boolean staff = policies.includeStaffOnlyVisits();
        boolean cehrt = dayIn(r.getArray("seen_cehrt"), range) || staff && dayIn(r.getArray("staff_cehrt"), range);
        boolean other = dayIn(r.getArray("seen_other"), range) || staff && dayIn(r.getArray("staff_other"), range);
        return new boolean[]{cehrt, other, dayIn(r.getArray("sent"), range)};
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

    record VisitKey(UUID ep, String kind, boolean office, boolean hospital, boolean cehrt, String state, String county) {
    }

    private java.util.Optional<List<EpMeasureReport>> sqlSummary(Connection c, MeasureId measure, ReportingPeriod period,
                                                                 MeasurePolicies policies, List<Ep> eps, Instant asOf)
            throws SQLException, StaleAggregates {
        try (PreparedStatement s = c.prepareStatement(
                "select exists (select 1 from practice where time_zone is null), exists (select 1 from mu_stale_encounter)");
             ResultSet r = s.executeQuery()) {
            r.next();
            if (r.getBoolean(1)) {
                return java.util.Optional.empty();
            }
            if (r.getBoolean(2)) {
                throw new StaleAggregates();
            }
        }
        Patients patients = patients(c);
        Map<UUID, Ep> byId = new LinkedHashMap<>();
        eps.forEach(ep -> byId.put(ep.id(), ep));
        Array epArray = c.createArrayOf("uuid", byId.keySet().toArray());
        // Records whose canonical identity is not the record itself (merged, test) and the survivors of merges:
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

        // 1. every pair as recorded: a whole year or quarter from the per-EP combinations, any other period from the pairs
        if (part >= 0) {
            try (PreparedStatement s = c.prepareStatement("""
                    select ep_id, seen_cehrt, seen_other, staff_cehrt, staff_other, sent, n from mu_ep_pair_part
                    where ep_id = any(?) and year = ? and part = ?""")) {
                s.setArray(1, epArray);
                s.setInt(2, period.start().getYear());
                s.setInt(3, part);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        boolean staff = policies.includeStaffOnlyVisits();
                        boolean[] flags = {r.getBoolean(2) || staff && r.getBoolean(4), r.getBoolean(3) || staff && r.getBoolean(5)};
                        populations.get(r.getObject(1, UUID.class)).add(flags, r.getBoolean(6), r.getLong(7));
                    }
                }
            }
        } else {
            String countSql;
            if (ranges.size() == 1) {
                YearRange y = ranges.get(0);
                countSql = """
                        select ep_id, count(*) filter (where c or o), count(*) filter (where c), count(*) filter (where c and m),
                               count(*) filter (where (c or o) and m)
                        from (select x.ep_id, %s as c, %s as o, %s as m
                              from mu_visit_pair x where x.year = %d and x.ep_id = any(?)) p
                        group by ep_id""".formatted(cehrtIn(y, policies), otherIn(y, policies), dayIn("x.sent", y), y.year());
            } else {
                StringBuilder cc = new StringBuilder("case x.year");
                StringBuilder oc = new StringBuilder("case x.year");
                StringBuilder mc = new StringBuilder("case x.year");
                for (YearRange y : ranges) {
                    cc.append(" when ").append(y.year()).append(" then ").append(cehrtIn(y, policies));
                    oc.append(" when ").append(y.year()).append(" then ").append(otherIn(y, policies));
                    mc.append(" when ").append(y.year()).append(" then ").append(dayIn("x.sent", y));
                }
                countSql = """
                        select ep_id, count(*) filter (where c or o), count(*) filter (where c), count(*) filter (where c and m),
                               count(*) filter (where (c or o) and m)
                        from (select x.ep_id, x.patient_id, bool_or(%s end) as c, bool_or(%s end) as o, bool_or(%s end) as m
                              from mu_visit_pair x where x.year between %d and %d and x.ep_id = any(?)
                              group by x.ep_id, x.patient_id) p
                        group by ep_id""".formatted(cc, oc, mc, ranges.get(0).year(), ranges.get(ranges.size() - 1).year());
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

        // 2. the affected records: their pairs as recorded come out again, and go back in per EP and canonical patient
        String pairColumns = "x.year, x.ep_id, x.patient_id, x.seen_cehrt, x.seen_other, x.staff_cehrt, x.staff_other, x.sent";
        Map<UUID, Map<UUID, boolean[]>> combined = new HashMap<>();
        if (affectedIds.length > 0) {
            Map<UUID, Map<UUID, boolean[]>> recorded = new HashMap<>();
            // one probe per affected record (patient index): the same few pages for every report, whichever EPs
            try (PreparedStatement s = c.prepareStatement("select " + pairColumns + " from mu_visit_pair x "
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
                        or(recorded.computeIfAbsent(ep, k -> new HashMap<>()).computeIfAbsent(recordedId, k -> new boolean[3]), flags);
                        UUID patient = patients.canonical(recordedId);
                        if (patient != null) {
                            or(combined.computeIfAbsent(ep, k -> new HashMap<>()).computeIfAbsent(patient, k -> new boolean[3]), flags);
                        }
                    }
                }
            }
            recorded.forEach((ep, byPatient) -> byPatient.values().forEach(flags -> populations.get(ep).add(flags, flags[2], -1)));
        }

        // 3. proxy and pool messages, exactly as the exact path credits them
        Map<UUID, Map<UUID, List<UUID>>> exceptional = patientSent(c, byId, period, policies, patients, null, true);
        List<UUID> lookupEps = new ArrayList<>();
        List<UUID> lookupPatients = new ArrayList<>();
        exceptional.forEach((ep, credited) -> credited.keySet().forEach(patient -> {
            if (affected.contains(patient)) {
                combined.computeIfAbsent(ep, k -> new HashMap<>()).computeIfAbsent(patient, k -> new boolean[3])[2] = true;
            } else {
                lookupEps.add(ep);
                lookupPatients.add(patient);
            }
        }));
        combined.forEach((ep, byPatient) -> byPatient.values().forEach(flags -> populations.get(ep).add(flags, flags[2], 1)));
        if (!lookupEps.isEmpty()) {
            // counted in step 1 as seen; in the numerator only if they also sent the EP a message directly
            Map<UUID, Map<UUID, boolean[]>> looked = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement("select " + pairColumns + " from mu_visit_pair x "
                    + "where (x.ep_id, x.patient_id) in (select * from unnest(cast(? as uuid[]), cast(? as uuid[]))) and x.year between ? and ?")) {
                s.setArray(1, c.createArrayOf("uuid", lookupEps.toArray()));
                s.setArray(2, c.createArrayOf("uuid", lookupPatients.toArray()));
                s.setInt(3, ranges.get(0).year());
                s.setInt(4, ranges.get(ranges.size() - 1).year());
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        YearRange range = range(ranges, r.getInt("year"));
                        if (range != null) {
                            or(looked.computeIfAbsent(r.getObject("ep_id", UUID.class), k -> new HashMap<>())
                                    .computeIfAbsent(r.getObject("patient_id", UUID.class), k -> new boolean[3]), pairFlags(r, range, policies));
                        }
                    }
                }
            }
            looked.forEach((ep, byPatient) -> byPatient.values().forEach(flags -> {
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

        Map<String, BroadbandRow> broadband = broadband(c, period.start());
        int mbps = measure.broadbandMbps(period.programYear());
        Threshold threshold = measure.threshold(period.programYear());
        List<String> warnings = period.warnings(measure);
        Map<UUID, Tally> tallies = new HashMap<>();
        visits.forEach((k, n) -> {
            if (n > 0 && (!"S".equals(k.kind()) || policies.includeStaffOnlyVisits())) {
                tallies.computeIfAbsent(k.ep(), e -> new Tally(broadband, mbps)).add(k.office(), k.hospital(), k.cehrt(), k.state(), k.county(), n);
            }
        });
        List<EpMeasureReport> reports = new ArrayList<>();
        for (Ep ep : eps) {
            Tally tally = tallies.getOrDefault(ep.id(), new Tally(broadband, mbps));
            CehrtShare cehrt = tally.cehrtShare();
            Populations p = populations.get(ep.id());
            boolean everyLocation = policies.includeNonCehrtEncountersEnteredInCehrt() && cehrt.eligible();
            long denominator = everyLocation ? p.initial : p.denominatorCehrt;
            long numerator = everyLocation ? p.numeratorAll : p.numeratorCehrt;
            EpMeasureReport.Counts counts = new EpMeasureReport.Counts(p.initial, denominator, p.initial - denominator, numerator);
            reports.add(report(measure, period, policies, ep, tally, cehrt, broadband, mbps, threshold, warnings, null, Map.of(), asOf,
                    Map.of(), Map.of(), Map.of(), Map.of(), counts, false, null));
        }
        return java.util.Optional.of(reports);
    }

    private static String cehrtIn(YearRange y, MeasurePolicies policies) {
        return policies.includeStaffOnlyVisits() ? "(" + dayIn("x.seen_cehrt", y) + " or " + dayIn("x.staff_cehrt", y) + ")" : dayIn("x.seen_cehrt", y);
    }

    private static String otherIn(YearRange y, MeasurePolicies policies) {
        return policies.includeStaffOnlyVisits() ? "(" + dayIn("x.seen_other", y) + " or " + dayIn("x.staff_other", y) + ")" : dayIn("x.seen_other", y);
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
    private static Map<VisitKey, Long> visitCounts(Connection c, Array eps, ReportingPeriod period, int part) throws SQLException {
        Map<VisitKey, Long> counts = new HashMap<>();
        String columns = "ep_id, kind, office, hospital, cehrt, state, county";
        if (part >= 0) {
            try (PreparedStatement s = c.prepareStatement("select " + columns + ", n from mu_ep_visit_part where ep_id = any(?) and year = ? and part = ?")) {
                s.setArray(1, eps);
                s.setInt(2, period.start().getYear());
                s.setInt(3, part);
                readVisitCounts(s, counts);
            }
            return counts;
        }
        LocalDate firstMonth = period.start().getDayOfMonth() == 1 ? period.start() : period.start().withDayOfMonth(1).plusMonths(1);
        LocalDate lastMonth = period.end().equals(period.end().withDayOfMonth(period.end().lengthOfMonth()))
                ? period.end().withDayOfMonth(1) : period.end().withDayOfMonth(1).minusMonths(1);
        if (!firstMonth.isAfter(lastMonth)) {
            LocalDate wholeEnd = lastMonth.plusMonths(1).minusDays(1);
            try (PreparedStatement s = c.prepareStatement("select " + columns + ", sum(n) from ("
                    + "select " + columns + ", n from mu_ep_visit_month where ep_id = any(?) and month between ? and ? "
                    + "union all select " + columns + ", n from mu_ep_visit_day where ep_id = any(?) and (day between ? and ? or day between ? and ?)"
                    + ") t group by " + columns)) {
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
            try (PreparedStatement s = c.prepareStatement("select " + columns + ", sum(n) from mu_ep_visit_day "
                    + "where ep_id = any(?) and day between ? and ? group by " + columns)) {
                s.setArray(1, eps);
                s.setObject(2, period.start());
                s.setObject(3, period.end());
                readVisitCounts(s, counts);
            }
        }
        return counts;
    }

    private static void readVisitCounts(PreparedStatement s, Map<VisitKey, Long> counts) throws SQLException {
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                VisitKey key = new VisitKey(r.getObject(1, UUID.class), r.getString(2), r.getBoolean(3), r.getBoolean(4), r.getBoolean(5),
                        r.getString(6), r.getString(7));
                counts.merge(key, r.getLong(8), Long::sum);
            }
        }
    }

    private List<EpMeasureReport> evaluate(Connection c, MeasureId measure, ReportingPeriod period, MeasurePolicies policies, List<Ep> eps,
                                           LocalDate attestation, Instant asOf) throws SQLException {
        {
            Patients patients = patients(c);
            Map<UUID, Ep> byId = new LinkedHashMap<>();
            eps.forEach(ep -> byId.put(ep.id(), ep));
            Map<UUID, List<EncounterRow>> encounters = encounters(c, byId.keySet(), period);
            Map<String, BroadbandRow> broadband = measure.hasBroadbandExclusion() ? broadband(c, period.start()) : Map.of();
            int mbps = measure.broadbandMbps(period.programYear());
            Threshold threshold = measure.threshold(period.programYear());
            List<String> warnings = period.warnings(measure);

            // A report of a few EPs reads only the messages of their patients (and of records merged into them).
            UUID[] onlyPatients = eps.size() <= fewEps ? patientsOf(encounters, patients) : null;
            Map<UUID, Map<UUID, List<UUID>>> events = switch (measure.family()) {
                case PATIENT_SENT -> patientSent(c, byId, period, policies, patients, onlyPatients, false);
                case EP_SENT -> epSent(c, byId.keySet(), numeratorWindow(measure, period), policies, patients, onlyPatients);
                default -> Map.of();
            };
            PeaFacts pea = measure.family() == MeasureId.Family.PEA_ACCESS || measure.family() == MeasureId.Family.PEA_VDT
                    || measure.hasNeitherOrdersNorCreatesExclusion() ? peaFacts(c, period, attestation, patients) : null;
            Map<UUID, LocalDate> enabledSince = measure == MeasureId.SM_MS2_2015 ? practiceCreated(c) : Map.of();

            List<EpMeasureReport> reports = new ArrayList<>();
            for (Ep ep : eps) {
                reports.add(evaluateEp(measure, period, policies, ep, encounters.getOrDefault(ep.id(), List.of()), patients,
                        broadband, mbps, threshold, warnings, events.getOrDefault(ep.id(), Map.of()), pea, attestation,
                        enabledSince, asOf));
            }
            return reports;
        }
    }

    private EpMeasureReport evaluateEp(MeasureId measure, ReportingPeriod period, MeasurePolicies policies, Ep ep,
                                       List<EncounterRow> rows, Patients patients, Map<String, BroadbandRow> broadband, int mbps,
                                       Threshold threshold, List<String> warnings, Map<UUID, List<UUID>> epEvents, PeaFacts pea,
                                       LocalDate attestation, Map<UUID, LocalDate> enabledSince, Instant asOf) {
        Tally tally = new Tally(broadband, mbps);
        Map<UUID, List<EncounterRow>> seenAnywhere = new LinkedHashMap<>();
        for (EncounterRow row : rows) {
            if (!"finished".equals(row.status) || !seenByEp(row, policies)) {
                continue;
            }
            UUID patient = patients.canonical(row.patientId);
            if (patient == null) {
                continue; // a test patient is never counted (docs/fhir.md §3, docs/measures.md §9.8)
            }
            boolean hospital = row.classCode != null && HOSPITAL_CLASSES.contains(row.classCode) || row.hospitalPos;
            boolean office = row.classCode != null && OFFICE_CLASSES.contains(row.classCode);
            tally.add(office, hospital, row.cehrt, row.state, row.county, 1);
            if (office) {
                seenAnywhere.computeIfAbsent(patient, p -> new ArrayList<>()).add(row);
            }
        }
        CehrtShare cehrt = tally.cehrtShare();

        Map<UUID, PatientEntry> initial = new LinkedHashMap<>();
        Map<UUID, PatientEntry> denominator = new LinkedHashMap<>();
        Map<UUID, PatientEntry> excluded = new LinkedHashMap<>();
        Map<UUID, List<EncounterRow>> denominatorEncounters = new HashMap<>();
        for (Map.Entry<UUID, List<EncounterRow>> e : sorted(seenAnywhere).entrySet()) {
            List<EncounterRow> visits = e.getValue();
            initial.put(e.getKey(), entry(e.getKey(), visits, List.of(), false));
            List<EncounterRow> qualifying = visits.stream()
                    .filter(v -> v.cehrt || policies.includeNonCehrtEncountersEnteredInCehrt() && cehrt.eligible())
                    .toList();
            if (qualifying.isEmpty()) {
                excluded.put(e.getKey(), entry(e.getKey(), visits, List.of(), false));
            } else {
                denominator.put(e.getKey(), entry(e.getKey(), qualifying, List.of(), false));
                denominatorEncounters.put(e.getKey(), qualifying);
            }
        }

        Map<UUID, PatientEntry> numerator = new LinkedHashMap<>();
        EpMeasureReport.NotAvailable notAvailable = null;
        switch (measure.family()) {
            case PATIENT_SENT, EP_SENT -> {
                for (Map.Entry<UUID, PatientEntry> d : denominator.entrySet()) {
                    List<UUID> ids = epEvents.get(d.getKey());
                    if (ids != null && !ids.isEmpty()) {
                        numerator.put(d.getKey(), new PatientEntry(d.getKey(), d.getValue().encounterIds(), ids.stream().distinct().sorted().toList(), false));
                    }
                }
            }
            case PEA_ACCESS -> {
                Map<UUID, PatientEntry> timelyAccess = new LinkedHashMap<>();
                for (Map.Entry<UUID, PatientEntry> d : denominator.entrySet()) {
                    PatientEntry timely = timelyAccess(d.getKey(), denominatorEncounters.get(d.getKey()), pea, period, policies, attestation);
                    if (timely != null) {
                        timelyAccess.put(d.getKey(), timely);
                    }
                }
                // §5.1: view, download and transmit must all be available; without one, nobody is counted
                if (portal.timelyAccessCountable()) {
                    numerator.putAll(timelyAccess);
                } else {
                    notAvailable = new EpMeasureReport.NotAvailable(EpMeasureReport.NotAvailable.TRANSMIT_NOT_AVAILABLE,
                            portal.unavailableReason(), timelyAccess.size());
                }
            }
            case PEA_VDT -> {
                for (Map.Entry<UUID, PatientEntry> d : denominator.entrySet()) {
                    List<VdtRow> actions = pea.vdt.getOrDefault(d.getKey(), List.of()).stream()
                            .filter(v -> !v.day.isBefore(LocalDate.of(period.programYear(), 1, 1)) && !v.day.isAfter(attestation))
                            .filter(v -> policies.peaActionWindow() != PeaActionWindow.REPORTING_PERIOD || period.contains(v.day))
                            .toList();
                    if (!actions.isEmpty()) {
                        boolean inside = actions.stream().anyMatch(v -> period.contains(v.day));
                        numerator.put(d.getKey(), new PatientEntry(d.getKey(), d.getValue().encounterIds(),
                                actions.stream().map(v -> v.id).distinct().sorted().toList(), !inside));
                    }
                }
            }
        }

        Exclusion neither = null;
        if (measure.hasNeitherOrdersNorCreatesExclusion()) {
            Set<UUID> encounterIds = new HashSet<>();
            seenAnywhere.values().forEach(list -> list.forEach(r -> encounterIds.add(r.encounterId)));
            long documents = pea.documentsByEncounter.keySet().stream().filter(encounterIds::contains).count();
            neither = new Exclusion("NEITHER_ORDERS_NOR_CREATES", documents == 0,
                    documents + " of the EP's visits in the period have visit documents posted (attested by the EP; evidence only)");
        }
        EpMeasureReport.Counts counts = new EpMeasureReport.Counts(initial.size(), denominator.size(), excluded.size(), numerator.size());
        return report(measure, period, policies, ep, tally, cehrt, broadband, mbps, threshold, warnings, neither, enabledSince, asOf,
                initial, denominator, excluded, numerator, counts, true, notAvailable);
    }

    /** Exclusions with their evidence, the threshold, the warnings: the same for the exact path and the SQL summary. */
    private EpMeasureReport report(MeasureId measure, ReportingPeriod period, MeasurePolicies policies, Ep ep, Tally tally, CehrtShare cehrt,
                                   Map<String, BroadbandRow> broadband, int mbps, Threshold threshold, List<String> warnings,
                                   Exclusion neitherOrdersNorCreates, Map<UUID, LocalDate> enabledSince, Instant asOf,
                                   Map<UUID, PatientEntry> initial, Map<UUID, PatientEntry> denominator, Map<UUID, PatientEntry> excluded,
                                   Map<UUID, PatientEntry> numerator, EpMeasureReport.Counts counts, boolean patientLists,
                                   EpMeasureReport.NotAvailable notAvailable) {
        long officeVisits = tally.officeVisits;
        long encountersAll = tally.encountersAll;
        long lowBroadband = tally.lowBroadband;
        Map<String, Long> countiesLow = tally.countiesLow;
        Set<String> countiesUnknown = tally.countiesUnknown;
        List<Exclusion> exclusions = new ArrayList<>();
        if (measure.hasNoOfficeVisitsExclusion()) {
            exclusions.add(new Exclusion("NO_OFFICE_VISITS", officeVisits == 0,
                    officeVisits + " office visit(s) with the EP in the period"));
        }
        if (measure.hasBroadbandExclusion()) {
            boolean eligible = encountersAll > 0 && 2 * lowBroadband >= encountersAll;
            StringBuilder evidence = new StringBuilder().append(lowBroadband).append(" of ").append(encountersAll)
                    .append(" encounter(s) in counties where less than 50 % of housing units have ").append(mbps)
                    .append(" Mbps broadband (")
                    .append(broadband.values().stream().findFirst().map(b -> "FCC data set as of " + b.asOf + ", the latest available on "
                            + period.start()).orElse("no FCC data set available on " + period.start()))
                    .append(")");
            if (!countiesLow.isEmpty()) {
                evidence.append("; counties: ");
                countiesLow.forEach((county, n) -> evidence.append(county).append(" ×").append(n).append("; "));
            }
            if (!countiesUnknown.isEmpty()) {
                evidence.append("; no broadband data for: ").append(String.join(", ", countiesUnknown));
            }
            exclusions.add(new Exclusion("BROADBAND", eligible, evidence.toString()));
        }
        if (neitherOrdersNorCreates != null) {
            exclusions.add(neitherOrdersNorCreates);
        }

        boolean fullyEnabled = false;
        if (measure == MeasureId.SM_MS2_2015) {
            LocalDate since = ep.practiceIds().stream().map(enabledSince::get).filter(d -> d != null)
                    .min(Comparator.naturalOrder()).orElse(null);
            fullyEnabled = since != null && !since.isAfter(period.start());
            exclusions.add(new Exclusion("FULLY_ENABLED_EVIDENCE", false, since == null ? "secure messaging not enabled for the EP's practice"
                    : "secure messaging enabled for the EP's practice since " + since));
        }
        boolean met = threshold.isMet(counts.numerator(), counts.denominator(), fullyEnabled);
        List<String> epWarnings = new ArrayList<>(warnings);
        if (!cehrt.eligible()) {
            epWarnings.add("INELIGIBLE_CEHRT_LOCATION_SHARE: only " + cehrt.cehrtEncounters() + " of " + cehrt.encounters()
                    + " patient encounters were at CEHRT-equipped locations (at least 50 % required to be a meaningful user).");
        }
        return new EpMeasureReport(measure, period, ep.id(), ep.npi(), ep.name(), initial, denominator, excluded, numerator,
                officeVisits, threshold, met, fullyEnabled, exclusions, cehrt, epWarnings, policies.asMap(), asOf, counts, patientLists,
                notAvailable);
    }

    /**
     * The encounter counts of one EP (the 50 % CEHRT test, the broadband exclusion, office visits), added
     * one encounter at a time (exact path) or a bucket at a time (SQL summary).
     */
    static final class Tally {
        private final Map<String, BroadbandRow> broadband;
        private final int mbps;
        long encountersAll;
        long encountersCehrt;
        long lowBroadband;
        long officeVisits;
        final Map<String, Long> countiesLow = new TreeMap<>();
        final Set<String> countiesUnknown = new java.util.TreeSet<>();

        Tally(Map<String, BroadbandRow> broadband, int mbps) {
            this.broadband = broadband;
            this.mbps = mbps;
        }

        void add(boolean office, boolean hospital, boolean cehrt, String state, String county, long n) {
            if (!hospital) {
                encountersAll += n;
                if (cehrt) {
                    encountersCehrt += n;
                }
                if (county != null) {
                    BroadbandRow b = broadband.get(countyKey(state, county));
                    if (b == null) {
                        countiesUnknown.add(county + (state == null ? "" : ", " + state));
                    } else if ((mbps == 3 ? b.share3 : b.share4).compareTo(new BigDecimal("0.5")) < 0) {
                        lowBroadband += n;
                        countiesLow.merge(county + (state == null ? "" : ", " + state) + " (" + b.asOf + ")", n, Long::sum);
                    }
                } else {
                    countiesUnknown.add("encounters without a county");
                }
            }
            if (office) {
                officeVisits += n;
            }
        }

        CehrtShare cehrtShare() {
            return new CehrtShare(encountersCehrt, encountersAll, encountersAll == 0 || 2 * encountersCehrt >= encountersAll);
        }
    }

    private static UUID[] patientsOf(Map<UUID, List<EncounterRow>> encounters, Patients patients) {
        Set<UUID> canonical = new HashSet<>();
        Set<UUID> ids = new HashSet<>();
        encounters.values().forEach(rows -> rows.forEach(r -> {
            ids.add(r.patientId);
            UUID survivor = patients.canonical(r.patientId);
            if (survivor != null) {
                canonical.add(survivor);
            }
        }));
        ids.addAll(canonical);
        for (UUID retired : patients.replacedBy.keySet()) {
            if (canonical.contains(patients.canonical(retired))) {
                ids.add(retired);
            }
        }
        return ids.toArray(UUID[]::new);
    }

    /** Seen by the EP: primary performer; or supervising an NP/PA who is an EP (§10 row 20); or, by policy, supervising staff (row 19). */
    private static boolean seenByEp(EncounterRow row, MeasurePolicies policies) {
        if ("PPRF".equals(row.type)) {
            return true;
        }
        if ("SPRF".equals(row.type)) {
            return row.primaryIsOtherEp || policies.includeStaffOnlyVisits();
        }
        return false;
    }

    private PatientEntry timelyAccess(UUID patient, List<EncounterRow> visits, PeaFacts pea, ReportingPeriod period,
                                      MeasurePolicies policies, LocalDate attestation) {
        LocalDate lastAllowed = policies.peaActionWindow() == PeaActionWindow.REPORTING_PERIOD && period.end().isBefore(attestation)
                ? period.end() : attestation;
        List<UUID> evidence = new ArrayList<>();
        // The information: visit documents of these encounters; without any, the visit's own information on the visit date.
        LocalDate earliestInfo = null;
        UUID earliestPractice = null;
        for (EncounterRow visit : visits) {
            List<DocumentRow> documents = pea.documentsByEncounter.getOrDefault(visit.encounterId, List.of());
            if (documents.isEmpty()) {
                if (earliestInfo == null || visit.serviceDate.isBefore(earliestInfo)) {
                    earliestInfo = visit.serviceDate;
                    earliestPractice = visit.practiceId;
                }
                continue;
            }
            for (DocumentRow d : documents) {
                LocalDate deadline = min(addBusinessDays(d.available, 4, pea.holidays.getOrDefault(d.practiceId, Set.of())), lastAllowed);
                if (d.posted.isAfter(deadline)) {
                    return null;
                }
                evidence.add(d.id);
                if (earliestInfo == null || d.available.isBefore(earliestInfo)) {
                    earliestInfo = d.available;
                    earliestPractice = d.practiceId;
                }
            }
        }
        if (earliestInfo == null) {
            return null;
        }
        LocalDate deadline = min(addBusinessDays(earliestInfo, 4, pea.holidays.getOrDefault(earliestPractice, Set.of())), lastAllowed);
        AccessRow access = pea.access.getOrDefault(patient, List.of()).stream()
                .filter(a -> !a.day.isAfter(deadline)).findFirst().orElse(null);
        if (access == null) {
            return null;
        }
        evidence.add(0, access.id);
        return new PatientEntry(patient, visits.stream().map(v -> v.encounterId).sorted().toList(), evidence,
                access.day.isAfter(period.end()));
    }

    /** The Nth business day after {@code from}: Monday to Friday, the practice's holidays skipped (one calendar, ADR 0025). */
    public static LocalDate addBusinessDays(LocalDate from, int days, Set<LocalDate> holidays) {
        return dev.bluepost.platform.BusinessCalendar.addBusinessDays(from, days, holidays);
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    /** MS2 / Stage 3 2017–2018: the same calendar year (ONC notes 6, RT5 note 4); PI 2019+: the period (§2.2). */
    static ReportingPeriod numeratorWindow(MeasureId measure, ReportingPeriod period) {
        if (measure.family() == MeasureId.Family.EP_SENT && period.programYear() <= 2018) {
            LocalDate start = LocalDate.of(period.programYear(), 1, 1);
            LocalDate end = LocalDate.of(period.end().getYear(), 12, 31);
            return new ReportingPeriod(start, end);
        }
        return period;
    }

    private static PatientEntry entry(UUID patient, List<EncounterRow> visits, List<UUID> events, boolean outside) {
        return new PatientEntry(patient, visits.stream().map(v -> v.encounterId).distinct().sorted().toList(), events, outside);
    }

    private static <V> Map<UUID, V> sorted(Map<UUID, V> map) {
        return new TreeMap<>(map);
    }

    // ---------------------------------------------------------------- SQL

    /** Merged records resolved to the surviving record; test patients resolve to null (§9 rule 8). */
    static final class Patients {
        final Map<UUID, UUID> replacedBy = new HashMap<>();
        final Set<UUID> test = new HashSet<>();

        UUID canonical(UUID id) {
            UUID current = id;
            Set<UUID> visited = new HashSet<>();
            while (replacedBy.containsKey(current) && visited.add(current)) {
                if (test.contains(current)) {
                    return null;
                }
                current = replacedBy.get(current);
            }
            return test.contains(current) ? null : current;
        }
    }

    private Patients patients(Connection c) throws SQLException {
        Patients patients = new Patients();
        try (PreparedStatement s = c.prepareStatement("select id, replaced_by_id, test_patient from patient where replaced_by_id is not null or test_patient");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                UUID id = r.getObject(1, UUID.class);
                UUID replacedBy = r.getObject(2, UUID.class);
                if (replacedBy != null) {
                    patients.replacedBy.put(id, replacedBy);
                }
                if (r.getBoolean(3)) {
                    patients.test.add(id);
                }
            }
        }
        return patients;
    }

    record EncounterRow(UUID epId, UUID encounterId, UUID patientId, UUID practiceId, LocalDate serviceDate, String status,
                        String classCode, String type, boolean primaryIsOtherEp, boolean cehrt, boolean hospitalPos,
                        String state, String county) {
    }

    private Map<UUID, List<EncounterRow>> encounters(Connection c, Set<UUID> eps, ReportingPeriod period) throws SQLException {
        String sql = """
                with l as (
                    select id, cehrt_equipped, state, county,
                           jsonb_path_exists(resource, '$.type[*].coding[*] ? (@.system == $pos && (@.code == "21" || @.code == "23"))',
                                             jsonb_build_object('pos', cast(? as text))) as hospital_pos
                    from location)
                select ep.practitioner_id, e.id, e.patient_id, e.practice_id, e.service_date, e.status, e.class_code, ep.type,
                       case when ep.type = 'SPRF' then exists (
                           select 1 from encounter_participant o join practitioner op on op.id = o.practitioner_id
                           where o.encounter_id = e.id and o.type = 'PPRF' and op.npi is not null
                             and o.practitioner_id <> ep.practitioner_id) else false end as primary_is_other_ep,
                       coalesce(l.cehrt_equipped, true) as cehrt,
                       coalesce(l.hospital_pos, false) as hospital_pos,
                       l.state, l.county
                from encounter_participant ep
                join encounter e on e.id = ep.encounter_id
                left join l on l.id = e.location_id
                where ep.practitioner_id = any(?) and ep.type in ('PPRF', 'SPRF')
                  and e.service_date between ? and ?""";
        Map<UUID, List<EncounterRow>> byEp = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, POS_SYSTEM);
            s.setArray(2, c.createArrayOf("uuid", eps.toArray()));
            s.setObject(3, period.start());
            s.setObject(4, period.end());
            s.setFetchSize(10_000);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    EncounterRow row = new EncounterRow(r.getObject(1, UUID.class), r.getObject(2, UUID.class), r.getObject(3, UUID.class),
                            r.getObject(4, UUID.class), r.getObject(5, LocalDate.class), r.getString(6), r.getString(7), r.getString(8),
                            r.getBoolean(9), r.getBoolean(10), r.getBoolean(11), r.getString(12), r.getString(13));
                    byEp.computeIfAbsent(row.epId, k -> new ArrayList<>()).add(row);
                }
            }
        }
        // A participant listed as both PPRF and SPRF is one visit: keep the PPRF row.
        byEp.replaceAll((ep, list) -> {
            Map<UUID, EncounterRow> one = new LinkedHashMap<>();
            for (EncounterRow row : list) {
                one.merge(row.encounterId, row, (a, b) -> "PPRF".equals(a.type) ? a : b);
            }
            return new ArrayList<>(one.values());
        });
        return byEp;
    }

    record BroadbandRow(BigDecimal share3, BigDecimal share4, LocalDate asOf) {
    }

    static String countyKey(String state, String county) {
        return (state == null ? "" : state.trim().toUpperCase(Locale.ROOT)) + "|" + county.trim().toLowerCase(Locale.ROOT);
    }

    /** The latest FCC data set (one import, by its as-of date) available on the period's first day (§6.2, ADR 0025). */
    private Map<String, BroadbandRow> broadband(Connection c, LocalDate firstDay) throws SQLException {
        Map<String, BroadbandRow> rows = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                select state, county, share_3mbps, share_4mbps, as_of from mu_broadband_county
                where as_of = (select max(as_of) from mu_broadband_county where as_of <= ?)""")) {
            s.setObject(1, firstDay);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.put(countyKey(r.getString(1), r.getString(2)),
                            new BroadbandRow(r.getBigDecimal(3), r.getBigDecimal(4), r.getObject(5, LocalDate.class)));
                }
            }
        }
        return rows;
    }

    private String localDate(String column) {
        return "cast(timezone(coalesce(pr.time_zone, '" + defaultZone.getId().replace("'", "") + "'), " + column + ") as date)";
    }

    private static Timestamp lowerBound(LocalDate day) {
        return Timestamp.from(day.minusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    private static Timestamp upperBound(LocalDate day) {
        return Timestamp.from(day.plusDays(3).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /**
     * SM-S2: secure messages a patient or an authorized representative (authorization in force when
     * received) sent, received in the period (local date of the practice), credited to the EP they
     * were addressed to, or — to a pool — the EP it was routed or assigned to during the period
     * (ASSIGNED_EP) or every EP of the practice (PRACTICE_WIDE). Result: EP → patient → message ids.
     */
    private Map<UUID, Map<UUID, List<UUID>>> patientSent(Connection c, Map<UUID, Ep> eps, ReportingPeriod period,
                                                         MeasurePolicies policies, Patients patients, UUID[] onlyPatients,
                                                         boolean exceptionalOnly) throws SQLException {
        String narrow = onlyPatients != null ? "and m.patient_id = any(?)"
                // the SQL summary: only the messages the aggregate leaves out, found through their partial indexes
                : exceptionalOnly ? """
                and m.message_id in (select p.message_id from mu_message_fact p where p.sender_kind = 'PROXY'
                                       and p.received_at >= ? and p.received_at < ?
                                     union
                                     select q.message_id from mu_message_recipient_fact q where q.recipient_type = 'CareTeam')"""
                : "";
        String sql = """
                select m.message_id, m.patient_id, m.practice_id,
                       coalesce(array_agg(r.recipient_id) filter (where r.recipient_type = 'Practitioner'), '{}') as to_eps,
                       coalesce(bool_or(r.recipient_type = 'CareTeam'), false) as to_pool,
                       (select coalesce(array_agg(a.owner_id), '{}') from mu_assignment_fact a
                        where a.message_id = m.message_id and a.owner_type = 'Practitioner'
                          and %s between ? and ?) as assigned
                from mu_message_fact m
                join practice pr on pr.id = m.practice_id
                left join mu_message_recipient_fact r on r.message_id = m.message_id
                where m.sender_kind in ('PATIENT', 'PROXY') and m.secure and not m.automatic
                  and m.received_at >= ? and m.received_at < ?
                  and %s between ? and ?
                  and exists (select 1 from mu_message_recipient_fact x where x.message_id = m.message_id
                              and (x.recipient_type = 'CareTeam' or x.recipient_id = any(?)))
                  %s
                  and (m.sender_kind = 'PATIENT' or exists (
                        select 1 from related_person rp where rp.id = m.sender_id and rp.active
                          and (rp.period_start is null or rp.period_start <= m.received_at)
                          and (rp.period_end is null or rp.period_end > m.received_at)))
                group by m.message_id, m.patient_id, m.practice_id, pr.time_zone""".formatted(localDate("a.assigned_at"),
                localDate("m.received_at"), narrow);
        Map<UUID, Set<UUID>> epsOfPractice = new HashMap<>();
        eps.values().forEach(ep -> ep.practiceIds().forEach(p -> epsOfPractice.computeIfAbsent(p, k -> new HashSet<>()).add(ep.id())));
        Map<UUID, Map<UUID, List<UUID>>> result = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, period.start());
            s.setObject(2, period.end());
            s.setTimestamp(3, lowerBound(period.start()));
            s.setTimestamp(4, upperBound(period.end()));
            s.setObject(5, period.start());
            s.setObject(6, period.end());
            s.setArray(7, c.createArrayOf("uuid", eps.keySet().toArray()));
            if (onlyPatients != null) {
                s.setArray(8, c.createArrayOf("uuid", onlyPatients));
            } else if (exceptionalOnly) {
                s.setTimestamp(8, lowerBound(period.start()));
                s.setTimestamp(9, upperBound(period.end()));
            }
            s.setFetchSize(10_000);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    UUID message = r.getObject(1, UUID.class);
                    UUID patient = patients.canonical(r.getObject(2, UUID.class));
                    if (patient == null) {
                        continue;
                    }
                    Set<UUID> credited = new HashSet<>(List.of(uuids(r.getArray(4))));
                    if (r.getBoolean(5)) {
                        if (policies.poolAttribution() == PoolAttribution.PRACTICE_WIDE) {
                            credited.addAll(epsOfPractice.getOrDefault(r.getObject(3, UUID.class), Set.of()));
                        } else {
                            credited.addAll(List.of(uuids(r.getArray(6))));
                        }
                    }
                    for (UUID ep : credited) {
                        if (eps.containsKey(ep)) {
                            result.computeIfAbsent(ep, k -> new HashMap<>()).computeIfAbsent(patient, k -> new ArrayList<>()).add(message);
                        }
                    }
                }
            }
        }
        return result;
    }

    /**
     * MS2 / S3: secure messages sent by the EP (or by staff on behalf of the named EP, or — by
     * policy — automatically in answer to a message to the EP) to the patient or a representative,
     * or in answer to a patient's message; S3 element (c), a provider-to-provider message with the
     * patient included, is a message to the patient too. Result: EP → patient → message ids.
     */
    private Map<UUID, Map<UUID, List<UUID>>> epSent(Connection c, Set<UUID> eps, ReportingPeriod window, MeasurePolicies policies,
                                                    Patients patients, UUID[] onlyPatients) throws SQLException {
        String sql = """
                select m.message_id, m.patient_id, m.sender_kind, m.sender_id,
                       exists (select 1 from mu_message_recipient_fact r where r.message_id = m.message_id
                               and r.recipient_type in ('Patient', 'RelatedPerson')) as to_patient,
                       o.sender_kind as answered_kind,
                       (select coalesce(array_agg(r.recipient_id), '{}') from mu_message_recipient_fact r
                        where r.message_id = o.message_id and r.recipient_type = 'Practitioner') as answered_eps
                from mu_message_fact m
                join practice pr on pr.id = m.practice_id
                left join mu_message_fact o on o.message_id = m.in_response_to
                where m.secure and m.sender_kind in ('EP', 'STAFF_FOR_EP', 'AUTOMATIC')
                  and m.received_at >= ? and m.received_at < ?
                  and %s between ? and ?
                  %s""".formatted(localDate("m.received_at"), onlyPatients == null ? "" : "and m.patient_id = any(?)");
        Map<UUID, Map<UUID, List<UUID>>> result = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setTimestamp(1, lowerBound(window.start()));
            s.setTimestamp(2, upperBound(window.end()));
            s.setObject(3, window.start());
            s.setObject(4, window.end());
            if (onlyPatients != null) {
                s.setArray(5, c.createArrayOf("uuid", onlyPatients));
            }
            s.setFetchSize(10_000);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    UUID patient = patients.canonical(r.getObject(2, UUID.class));
                    if (patient == null) {
                        continue;
                    }
                    String kind = r.getString(3);
                    String answered = r.getString(6);
                    boolean qualifies = r.getBoolean(5) || "PATIENT".equals(answered) || "PROXY".equals(answered);
                    if (!qualifies) {
                        continue;
                    }
                    List<UUID> credited = switch (kind) {
                        case "EP" -> List.of(r.getObject(4, UUID.class));
                        case "STAFF_FOR_EP" -> policies.countStaffSentOnBehalfOfEp() ? List.of(r.getObject(4, UUID.class)) : List.of();
                        // an auto-reply to a patient's message, credited to the EPs that message was addressed to
                        case "AUTOMATIC" -> policies.countSystemMessagesAsEpSent() && ("PATIENT".equals(answered) || "PROXY".equals(answered))
                                ? List.of(uuids(r.getArray(7))) : List.of();
                        default -> List.of();
                    };
                    for (UUID ep : credited) {
                        if (eps.contains(ep)) {
                            result.computeIfAbsent(ep, k -> new HashMap<>()).computeIfAbsent(patient, k -> new ArrayList<>())
                                    .add(r.getObject(1, UUID.class));
                        }
                    }
                }
            }
        }
        return result;
    }

    record AccessRow(UUID id, LocalDate day) {
    }

    record DocumentRow(UUID id, UUID practiceId, LocalDate available, LocalDate posted) {
    }

    record VdtRow(UUID id, LocalDate day) {
    }

    static final class PeaFacts {
        final Map<UUID, List<AccessRow>> access = new HashMap<>();
        final Map<UUID, List<DocumentRow>> documentsByEncounter = new HashMap<>();
        final Map<UUID, List<VdtRow>> vdt = new HashMap<>();
        final Map<UUID, Set<LocalDate>> holidays = new HashMap<>();
    }

    private PeaFacts peaFacts(Connection c, ReportingPeriod period, LocalDate attestation, Patients patients) throws SQLException {
        PeaFacts facts = new PeaFacts();
        try (PreparedStatement s = c.prepareStatement("""
                select a.id, a.patient_id, %s from mu_portal_access_fact a join practice pr on pr.id = a.practice_id
                where a.granted_at < ? order by a.granted_at, a.id""".formatted(localDate("a.granted_at")))) {
            s.setTimestamp(1, upperBound(attestation));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    UUID patient = patients.canonical(r.getObject(2, UUID.class));
                    if (patient != null) {
                        facts.access.computeIfAbsent(patient, k -> new ArrayList<>()).add(new AccessRow(r.getObject(1, UUID.class), r.getObject(3, LocalDate.class)));
                    }
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("""
                select d.id, d.encounter_id, d.practice_id, %s, %s from mu_document_fact d join practice pr on pr.id = d.practice_id
                where d.encounter_id is not null and d.available_at >= ? and d.available_at < ?""".formatted(localDate("d.available_at"),
                localDate("d.posted_at")))) {
            s.setTimestamp(1, lowerBound(period.start()));
            s.setTimestamp(2, upperBound(attestation));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    facts.documentsByEncounter.computeIfAbsent(r.getObject(2, UUID.class), k -> new ArrayList<>())
                            .add(new DocumentRow(r.getObject(1, UUID.class), r.getObject(3, UUID.class), r.getObject(4, LocalDate.class),
                                    r.getObject(5, LocalDate.class)));
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("""
                select v.id, v.patient_id, %s from mu_vdt_fact v left join practice pr on pr.id = v.practice_id
                where v.actor_kind in ('PATIENT', 'PROXY') and v.showed_information and v.occurred_at >= ? and v.occurred_at < ?
                order by v.occurred_at, v.id""".formatted(localDate("v.occurred_at")))) {
            s.setTimestamp(1, lowerBound(LocalDate.of(period.programYear(), 1, 1)));
            s.setTimestamp(2, upperBound(attestation));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    UUID patient = patients.canonical(r.getObject(2, UUID.class));
                    if (patient != null) {
                        facts.vdt.computeIfAbsent(patient, k -> new ArrayList<>()).add(new VdtRow(r.getObject(1, UUID.class), r.getObject(3, LocalDate.class)));
                    }
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("select practice_id, day from triage_holiday");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                facts.holidays.computeIfAbsent(r.getObject(1, UUID.class), k -> new HashSet<>()).add(r.getObject(2, LocalDate.class));
            }
        }
        return facts;
    }

    private Map<UUID, LocalDate> practiceCreated(Connection c) throws SQLException {
        Map<UUID, LocalDate> created = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("select pr.id, " + localDate("pr.created_at") + " from practice pr");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                created.put(r.getObject(1, UUID.class), r.getObject(2, LocalDate.class));
            }
        }
        return created;
    }

    /** Patient messages to a pool, received in the period, that no EP was routed or assigned during the period (§10 row 35). */
    public List<UnattributedMessage> unattributed(Collection<UUID> practiceIds, ReportingPeriod period) {
        String sql = """
                select m.message_id, m.patient_id, m.practice_id, array_agg(r.recipient_id), m.received_at
                from mu_message_fact m
                join practice pr on pr.id = m.practice_id
                join mu_message_recipient_fact r on r.message_id = m.message_id and r.recipient_type = 'CareTeam'
                where m.practice_id = any(?) and m.sender_kind in ('PATIENT', 'PROXY') and m.secure and not m.automatic
                  and m.received_at >= ? and m.received_at < ? and %s between ? and ?
                  and not exists (select 1 from mu_message_recipient_fact x join practitioner p on p.id = x.recipient_id
                                  where x.message_id = m.message_id and x.recipient_type = 'Practitioner' and p.npi is not null)
                  and not exists (select 1 from mu_assignment_fact a join practitioner p on p.id = a.owner_id
                                  where a.message_id = m.message_id and a.owner_type = 'Practitioner' and p.npi is not null
                                    and %s between ? and ?)
                group by m.message_id, m.patient_id, m.practice_id, m.received_at
                order by m.received_at, m.message_id""".formatted(localDate("m.received_at"), localDate("a.assigned_at"));
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, c.createArrayOf("uuid", practiceIds.toArray()));
            s.setTimestamp(2, lowerBound(period.start()));
            s.setTimestamp(3, upperBound(period.end()));
            s.setObject(4, period.start());
            s.setObject(5, period.end());
            s.setObject(6, period.start());
            s.setObject(7, period.end());
            List<UnattributedMessage> list = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    list.add(new UnattributedMessage(r.getObject(1, UUID.class), r.getObject(2, UUID.class), r.getObject(3, UUID.class),
                            List.of(uuids(r.getArray(4))), r.getTimestamp(5).toInstant()));
                }
            }
            return list;
        } catch (SQLException e) {
            throw new IllegalStateException("measure query failed", e);
        }
    }

    private static UUID[] uuids(Array array) throws SQLException {
        if (array == null) {
            return new UUID[0];
        }
        Object[] values = (Object[]) array.getArray();
        UUID[] result = new UUID[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (UUID) values[i];
        }
        return java.util.Arrays.stream(result).filter(java.util.Objects::nonNull).toArray(UUID[]::new);
    }
}
