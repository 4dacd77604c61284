package dev.bluepost.measurement.engine;

import dev.bluepost.measurement.engine.EpMeasureReport.CehrtShare;
import dev.bluepost.measurement.engine.EpMeasureReport.Exclusion;
import dev.bluepost.measurement.engine.EpMeasureReport.PatientEntry;
import dev.bluepost.measurement.engine.MeasurePolicies.PoolAttribution;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What both measure paths read and build the same way: patient records resolved to the record that
 * counts ({@link Patients}), the SM-S2 message credits ({@link #patientSent}), the encounter
 * tallies with the broadband data, and the report around the counts (exclusions with their
 * evidence, threshold, warnings). {@link MeasureEvaluator} and {@link MeasureSummary} use it; it
 * holds no connection of its own.
 */
final class MeasureReads {

    private final ZoneId defaultZone;

    MeasureReads(ZoneId defaultZone) {
        this.defaultZone = defaultZone;
    }

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

    static Patients patients(Connection c) throws SQLException {
        Patients patients = new Patients();
        try (PreparedStatement s =
                        c.prepareStatement(
                                "select id, replaced_by_id, test_patient from patient where replaced_by_id is not null or test_patient");
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

    /** Exclusions with their evidence, the threshold, the warnings: the same for the exact path and the SQL summary. */
    static EpMeasureReport report(
            MeasureId measure,
            ReportingPeriod period,
            MeasurePolicies policies,
            Ep ep,
            Tally tally,
            CehrtShare cehrt,
            Map<String, BroadbandRow> broadband,
            int mbps,
            Threshold threshold,
            List<String> warnings,
            Exclusion neitherOrdersNorCreates,
            Map<UUID, LocalDate> enabledSince,
            Instant asOf,
            Map<UUID, PatientEntry> initial,
            Map<UUID, PatientEntry> denominator,
            Map<UUID, PatientEntry> excluded,
            Map<UUID, PatientEntry> numerator,
            EpMeasureReport.Counts counts,
            boolean patientLists,
            EpMeasureReport.NotAvailable notAvailable) {
        long officeVisits = tally.officeVisits;
        long encountersAll = tally.encountersAll;
        long lowBroadband = tally.lowBroadband;
        Map<String, Long> countiesLow = tally.countiesLow;
        Set<String> countiesUnknown = tally.countiesUnknown;
        List<Exclusion> exclusions = new ArrayList<>();
        if (measure.hasNoOfficeVisitsExclusion()) {
            exclusions.add(
                    new Exclusion(
                            "NO_OFFICE_VISITS",
                            officeVisits == 0,
                            officeVisits + " office visit(s) with the EP in the period",
                            Exclusion.Facts.count(officeVisits, officeVisits)));
        }
        if (measure.hasBroadbandExclusion()) {
            boolean eligible = encountersAll > 0 && 2 * lowBroadband >= encountersAll;
            StringBuilder evidence =
                    new StringBuilder()
                            .append(lowBroadband)
                            .append(" of ")
                            .append(encountersAll)
                            .append(
                                    " encounter(s) in counties where less than 50 % of housing units have ")
                            .append(mbps)
                            .append(" Mbps broadband (")
                            .append(
                                    broadband.values().stream()
                                            .findFirst()
                                            .map(
                                                    b ->
                                                            "FCC data set as of "
                                                                    + b.asOf
                                                                    + ", the latest available on "
                                                                    + period.start())
                                            .orElse(
                                                    "no FCC data set available on "
                                                            + period.start()))
                            .append(")");
            if (!countiesLow.isEmpty()) {
                evidence.append("; counties: ");
                countiesLow.forEach(
                        (county, n) -> evidence.append(county).append(" ×").append(n).append("; "));
            }
            if (!countiesUnknown.isEmpty()) {
                evidence.append("; no broadband data for: ")
                        .append(String.join(", ", countiesUnknown));
            }
            LocalDate dataSet =
                    broadband.values().stream().findFirst().map(b -> b.asOf).orElse(null);
            exclusions.add(
                    new Exclusion(
                            "BROADBAND",
                            eligible,
                            evidence.toString(),
                            new Exclusion.Facts(
                                    lowBroadband,
                                    encountersAll,
                                    mbps,
                                    dataSet,
                                    period.start(),
                                    new java.util.LinkedHashMap<>(countiesLow),
                                    List.copyOf(countiesUnknown),
                                    null)));
        }
        if (neitherOrdersNorCreates != null) {
            exclusions.add(neitherOrdersNorCreates);
        }

        boolean fullyEnabled = false;
        if (measure == MeasureId.SM_MS2_2015) {
            LocalDate since =
                    ep.practiceIds().stream()
                            .map(enabledSince::get)
                            .filter(d -> d != null)
                            .min(Comparator.naturalOrder())
                            .orElse(null);
            fullyEnabled = since != null && !since.isAfter(period.start());
            exclusions.add(
                    new Exclusion(
                            "FULLY_ENABLED_EVIDENCE",
                            false,
                            since == null
                                    ? "secure messaging not enabled for the EP's practice"
                                    : "secure messaging enabled for the EP's practice since "
                                            + since,
                            Exclusion.Facts.since(since)));
        }
        boolean met = threshold.isMet(counts.numerator(), counts.denominator(), fullyEnabled);
        List<String> epWarnings = new ArrayList<>(warnings);
        if (!cehrt.eligible()) {
            epWarnings.add(
                    "INELIGIBLE_CEHRT_LOCATION_SHARE: only "
                            + cehrt.cehrtEncounters()
                            + " of "
                            + cehrt.encounters()
                            + " patient encounters were at CEHRT-equipped locations (at least 50 % required to be a meaningful user).");
        }
        return new EpMeasureReport(
                measure,
                period,
                ep.id(),
                ep.npi(),
                ep.name(),
                initial,
                denominator,
                excluded,
                numerator,
                officeVisits,
                threshold,
                met,
                fullyEnabled,
                exclusions,
                cehrt,
                epWarnings,
                policies.asMap(),
                asOf,
                counts,
                patientLists,
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

        void add(
                boolean office,
                boolean hospital,
                boolean cehrt,
                String state,
                String county,
                long n) {
            if (!hospital) {
                encountersAll += n;
                if (cehrt) {
                    encountersCehrt += n;
                }
                if (county != null) {
                    BroadbandRow b = broadband.get(countyKey(state, county));
                    if (b == null) {
                        countiesUnknown.add(county + (state == null ? "" : ", " + state));
                    } else if ((mbps == 3 ? b.share3 : b.share4).compareTo(new BigDecimal("0.5"))
                            < 0) {
                        lowBroadband += n;
                        countiesLow.merge(
                                county + (state == null ? "" : ", " + state) + " (" + b.asOf + ")",
                                n,
                                Long::sum);
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
            return new CehrtShare(
                    encountersCehrt,
                    encountersAll,
                    encountersAll == 0 || 2 * encountersCehrt >= encountersAll);
        }
    }

    record BroadbandRow(BigDecimal share3, BigDecimal share4, LocalDate asOf) {}

    static String countyKey(String state, String county) {
        return (state == null ? "" : state.trim().toUpperCase(Locale.ROOT))
                + "|"
                + county.trim().toLowerCase(Locale.ROOT);
    }

    /** The latest FCC data set (one import, by its as-of date) available on the period's first day (§6.2, ADR 0025). */
    static Map<String, BroadbandRow> broadband(Connection c, LocalDate firstDay)
            throws SQLException {
        Map<String, BroadbandRow> rows = new HashMap<>();
        try (PreparedStatement s =
                c.prepareStatement(
                        """
                select state, county, share_3mbps, share_4mbps, as_of from mu_broadband_county
                where as_of = (select max(as_of) from mu_broadband_county where as_of <= ?)""")) {
            s.setObject(1, firstDay);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.put(
                            countyKey(r.getString(1), r.getString(2)),
                            new BroadbandRow(
                                    r.getBigDecimal(3),
                                    r.getBigDecimal(4),
                                    r.getObject(5, LocalDate.class)));
                }
            }
        }
        return rows;
    }

    String localDate(String column) {
        return "cast(timezone(coalesce(pr.time_zone, '"
                + defaultZone.getId().replace("'", "")
                + "'), "
                + column
                + ") as date)";
    }

    static Timestamp lowerBound(LocalDate day) {
        return Timestamp.from(day.minusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    static Timestamp upperBound(LocalDate day) {
        return Timestamp.from(day.plusDays(3).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /**
     * SM-S2: secure messages a patient or an authorized representative (authorization in force when
     * received) sent, received in the period (local date of the practice), credited to the EP they
     * were addressed to, or — to a pool — the EP it was routed or assigned to during the period
     * (ASSIGNED_EP) or every EP of the practice (PRACTICE_WIDE). Result: EP → patient → message ids.
     */
    Map<UUID, Map<UUID, List<UUID>>> patientSent(
            Connection c,
            Map<UUID, Ep> eps,
            ReportingPeriod period,
            MeasurePolicies policies,
            Patients patients,
            UUID[] onlyPatients,
            boolean exceptionalOnly)
            throws SQLException {
        String narrow =
                onlyPatients != null
                        ? "and m.patient_id = any(?)"
                        // the SQL summary: only the messages the aggregate leaves out, found
                        // through their partial indexes
                        : exceptionalOnly
                                ? """
                and m.message_id in (select p.message_id from mu_message_fact p where p.sender_kind = 'PROXY'
                                       and p.received_at >= ? and p.received_at < ?
                                     union
                                     select q.message_id from mu_message_recipient_fact q where q.recipient_type = 'CareTeam')"""
                                : "";
        String sql =
                """
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
                group by m.message_id, m.patient_id, m.practice_id, pr.time_zone"""
                        .formatted(localDate("a.assigned_at"), localDate("m.received_at"), narrow);
        Map<UUID, Set<UUID>> epsOfPractice = new HashMap<>();
        eps.values()
                .forEach(
                        ep ->
                                ep.practiceIds()
                                        .forEach(
                                                p ->
                                                        epsOfPractice
                                                                .computeIfAbsent(
                                                                        p, k -> new HashSet<>())
                                                                .add(ep.id())));
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
                            credited.addAll(
                                    epsOfPractice.getOrDefault(
                                            r.getObject(3, UUID.class), Set.of()));
                        } else {
                            credited.addAll(List.of(uuids(r.getArray(6))));
                        }
                    }
                    for (UUID ep : credited) {
                        if (eps.containsKey(ep)) {
                            result.computeIfAbsent(ep, k -> new HashMap<>())
                                    .computeIfAbsent(patient, k -> new ArrayList<>())
                                    .add(message);
                        }
                    }
                }
            }
        }
        return result;
    }

    static UUID[] uuids(Array array) throws SQLException {
        if (array == null) {
            return new UUID[0];
        }
        Object[] values = (Object[]) array.getArray();
        UUID[] result = new UUID[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (UUID) values[i];
        }
        return java.util.Arrays.stream(result)
                .filter(java.util.Objects::nonNull)
                .toArray(UUID[]::new);
    }
}
