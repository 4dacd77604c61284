package dev.bluepost.measurement.engine;

import dev.bluepost.measurement.engine.EpMeasureReport.CehrtShare;
import dev.bluepost.measurement.engine.EpMeasureReport.Exclusion;
import dev.bluepost.measurement.engine.EpMeasureReport.PatientEntry;
import dev.bluepost.measurement.engine.MeasurePolicies.PeaActionWindow;
import dev.bluepost.measurement.engine.MeasureReads.BroadbandRow;
import dev.bluepost.measurement.engine.MeasureReads.Patients;
import dev.bluepost.measurement.engine.MeasureReads.Tally;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Computes the Meaningful Use measures of docs/measures.md for a set of EPs, over PostgreSQL. The SQL
 * selects the facts of the period (qualifying encounters per EP, candidate numerator events); the
 * rules that need the whole picture (unique canonical patients, numerator ⊆ denominator, the 50 %
 * CEHRT test, exclusions, business days) are applied here, once per EP. docs/measurement.md
 * explains every rule and policy flag.
 *
 * <p>This is the exact path: every report with its patient lists. Summaries without lists come from
 * {@link MeasureSummary} where the database's aggregates can serve them.
 *
 * <p>Plain JDBC over a {@link DataSource}, no CDI: {@code MeasurementService} wires it in the
 * application; tests run it directly over a real PostgreSQL.
 */
public class MeasureEvaluator {

    static final Set<String> OFFICE_CLASSES = Set.of("AMB", "VR");

    /** Hospital inpatient and emergency encounters are not "patient encounters" of the 50 % CEHRT test (POS 21/23). */
    static final Set<String> HOSPITAL_CLASSES =
            Set.of("IMP", "EMER", "ACUTE", "NONAC", "SS", "OBSENC", "PRENC");

    static final String POS_SYSTEM =
            "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set";

    /** Up to this many EPs, the message queries are narrowed to the EPs' patients (index on patient id). */
    static final int FEW_EPS = 10;

    private final DataSource dataSource;
    private final int fewEps;
    private final PortalCapabilities portal;
    private final MeasureReads reads;

    /** The evaluator of this platform: Bluepost's patient portal ({@link PortalCapabilities#BLUEPOST}). */
    public MeasureEvaluator(DataSource dataSource, ZoneId defaultZone) {
        this(dataSource, defaultZone, FEW_EPS);
    }

    /** @param fewEps up to this many EPs in a report, narrow the message queries to their patients */
    public MeasureEvaluator(DataSource dataSource, ZoneId defaultZone, int fewEps) {
        this(dataSource, defaultZone, fewEps, PortalCapabilities.BLUEPOST);
    }

    /** @param portal what the patient portal lets patients do (PEA-S2-M1 needs view, download and transmit) */
    public MeasureEvaluator(
            DataSource dataSource, ZoneId defaultZone, int fewEps, PortalCapabilities portal) {
        this.dataSource = dataSource;
        this.fewEps = fewEps;
        this.portal = portal;
        this.reads = new MeasureReads(defaultZone);
    }

    /** A patient message to a pool in the period that credits no EP (§9.4, §10 row 35). */
    public record UnattributedMessage(
            UUID messageId,
            UUID patientId,
            UUID practiceId,
            List<UUID> poolIds,
            Instant receivedAt) {}

    /** The EPs (practitioners with an NPI) of the given practices, or the one EP asked for. */
    public List<Ep> eps(Collection<UUID> practiceIds, UUID practitionerId) {
        String sql =
                """
                select p.id, p.npi, p.display_name, array_agg(pp.practice_id) as practices
                from practitioner p join practitioner_practice pp on pp.practitioner_id = p.id
                where p.npi is not null and (cast(? as uuid[]) is null or pp.practice_id = any(?)) and (cast(? as uuid) is null or p.id = ?)
                group by p.id, p.npi, p.display_name order by p.display_name, p.id""";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            Array practices =
                    practiceIds == null ? null : c.createArrayOf("uuid", practiceIds.toArray());
            s.setArray(1, practices);
            s.setArray(2, practices);
            s.setObject(3, practitionerId);
            s.setObject(4, practitionerId);
            List<Ep> eps = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    eps.add(
                            new Ep(
                                    r.getObject(1, UUID.class),
                                    r.getString(2),
                                    r.getString(3),
                                    Set.of(MeasureReads.uuids(r.getArray(4)))));
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
    public List<EpMeasureReport> evaluate(
            MeasureId measure,
            ReportingPeriod period,
            MeasurePolicies policies,
            List<Ep> eps,
            LocalDate attestation,
            Instant asOf) {
        if (eps.isEmpty()) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            // Plan every query with its actual values: a cached generic plan does not know how many
            // EPs or
            // patients the arrays hold and, after a few executions, trades the index lookups of a
            // one-EP
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
                    // the connection is broken or its transaction failed; the pool discards or
                    // rolls it back
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("measure query failed", e);
        }
    }

    private List<EpMeasureReport> evaluate(
            Connection c,
            MeasureId measure,
            ReportingPeriod period,
            MeasurePolicies policies,
            List<Ep> eps,
            LocalDate attestation,
            Instant asOf)
            throws SQLException {
        {
            Patients patients = MeasureReads.patients(c);
            Map<UUID, Ep> byId = new LinkedHashMap<>();
            eps.forEach(ep -> byId.put(ep.id(), ep));
            Map<UUID, List<EncounterRow>> encounters = encounters(c, byId.keySet(), period);
            Map<String, BroadbandRow> broadband =
                    measure.hasBroadbandExclusion()
                            ? MeasureReads.broadband(c, period.start())
                            : Map.of();
            int mbps = measure.broadbandMbps(period.programYear());
            Threshold threshold = measure.threshold(period.programYear());
            List<String> warnings = period.warnings(measure);

            // A report of a few EPs reads only the messages of their patients (and of records
            // merged into them).
            UUID[] onlyPatients = eps.size() <= fewEps ? patientsOf(encounters, patients) : null;
            Map<UUID, Map<UUID, List<UUID>>> events =
                    switch (measure.family()) {
                        case PATIENT_SENT ->
                                reads.patientSent(
                                        c, byId, period, policies, patients, onlyPatients, false);
                        case EP_SENT ->
                                epSent(
                                        c,
                                        byId.keySet(),
                                        numeratorWindow(measure, period),
                                        policies,
                                        patients,
                                        onlyPatients);
                        default -> Map.of();
                    };
            PeaFacts pea =
                    measure.family() == MeasureId.Family.PEA_ACCESS
                                    || measure.family() == MeasureId.Family.PEA_VDT
                                    || measure.hasNeitherOrdersNorCreatesExclusion()
                            ? peaFacts(c, period, attestation, patients)
                            : null;
            Map<UUID, LocalDate> enabledSince =
                    measure == MeasureId.SM_MS2_2015 ? practiceCreated(c) : Map.of();

            List<EpMeasureReport> reports = new ArrayList<>();
            for (Ep ep : eps) {
                reports.add(
                        evaluateEp(
                                measure,
                                period,
                                policies,
                                ep,
                                encounters.getOrDefault(ep.id(), List.of()),
                                patients,
                                broadband,
                                mbps,
                                threshold,
                                warnings,
                                events.getOrDefault(ep.id(), Map.of()),
                                pea,
                                attestation,
                                enabledSince,
                                asOf));
            }
            return reports;
        }
    }

    private EpMeasureReport evaluateEp(
            MeasureId measure,
            ReportingPeriod period,
            MeasurePolicies policies,
            Ep ep,
            List<EncounterRow> rows,
            Patients patients,
            Map<String, BroadbandRow> broadband,
            int mbps,
            Threshold threshold,
            List<String> warnings,
            Map<UUID, List<UUID>> epEvents,
            PeaFacts pea,
            LocalDate attestation,
            Map<UUID, LocalDate> enabledSince,
            Instant asOf) {
        Tally tally = new Tally(broadband, mbps);
        Map<UUID, List<EncounterRow>> seenAnywhere = new LinkedHashMap<>();
        for (EncounterRow row : rows) {
            if (!"finished".equals(row.status) || !seenByEp(row, policies)) {
                continue;
            }
            UUID patient = patients.canonical(row.patientId);
            if (patient == null) {
                continue; // a test patient is never counted (docs/fhir.md §3, docs/measures.md
                // §9.8)
            }
            boolean hospital =
                    row.classCode != null && HOSPITAL_CLASSES.contains(row.classCode)
                            || row.hospitalPos;
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
            List<EncounterRow> qualifying =
                    visits.stream()
                            .filter(
                                    v ->
                                            v.cehrt
                                                    || policies
                                                                    .includeNonCehrtEncountersEnteredInCehrt()
                                                            && cehrt.eligible())
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
                        numerator.put(
                                d.getKey(),
                                new PatientEntry(
                                        d.getKey(),
                                        d.getValue().encounterIds(),
                                        ids.stream().distinct().sorted().toList(),
                                        false));
                    }
                }
            }
            case PEA_ACCESS -> {
                Map<UUID, PatientEntry> timelyAccess = new LinkedHashMap<>();
                for (Map.Entry<UUID, PatientEntry> d : denominator.entrySet()) {
                    PatientEntry timely =
                            timelyAccess(
                                    d.getKey(),
                                    denominatorEncounters.get(d.getKey()),
                                    pea,
                                    period,
                                    policies,
                                    attestation);
                    if (timely != null) {
                        timelyAccess.put(d.getKey(), timely);
                    }
                }
                // §5.1: view, download and transmit must all be available; without one, nobody is
                // counted
                PortalCapabilities offered =
                        pea.transmitOffered ? portal : PortalCapabilities.VIEW_DOWNLOAD_ONLY;
                if (offered.timelyAccessCountable()) {
                    numerator.putAll(timelyAccess);
                } else {
                    notAvailable =
                            new EpMeasureReport.NotAvailable(
                                    EpMeasureReport.NotAvailable.TRANSMIT_NOT_AVAILABLE,
                                    offered.unavailableReason(),
                                    timelyAccess.size());
                }
            }
            case PEA_VDT -> {
                for (Map.Entry<UUID, PatientEntry> d : denominator.entrySet()) {
                    List<VdtRow> actions =
                            pea.vdt.getOrDefault(d.getKey(), List.of()).stream()
                                    .filter(
                                            v ->
                                                    !v.day.isBefore(
                                                                    LocalDate.of(
                                                                            period.programYear(),
                                                                            1,
                                                                            1))
                                                            && !v.day.isAfter(attestation))
                                    .filter(
                                            v ->
                                                    policies.peaActionWindow()
                                                                    != PeaActionWindow
                                                                            .REPORTING_PERIOD
                                                            || period.contains(v.day))
                                    .toList();
                    if (!actions.isEmpty()) {
                        boolean inside = actions.stream().anyMatch(v -> period.contains(v.day));
                        numerator.put(
                                d.getKey(),
                                new PatientEntry(
                                        d.getKey(),
                                        d.getValue().encounterIds(),
                                        actions.stream()
                                                .map(v -> v.id)
                                                .distinct()
                                                .sorted()
                                                .toList(),
                                        !inside));
                    }
                }
            }
        }

        Exclusion neither = null;
        if (measure.hasNeitherOrdersNorCreatesExclusion()) {
            Set<UUID> encounterIds = new HashSet<>();
            seenAnywhere
                    .values()
                    .forEach(list -> list.forEach(r -> encounterIds.add(r.encounterId)));
            long documents =
                    pea.documentsByEncounter.keySet().stream()
                            .filter(encounterIds::contains)
                            .count();
            neither =
                    new Exclusion(
                            "NEITHER_ORDERS_NOR_CREATES",
                            documents == 0,
                            documents
                                    + " of the EP's visits in the period have visit documents posted (attested by the EP; evidence only)",
                            Exclusion.Facts.count(documents, encounterIds.size()));
        }
        EpMeasureReport.Counts counts =
                new EpMeasureReport.Counts(
                        initial.size(), denominator.size(), excluded.size(), numerator.size());
        return MeasureReads.report(
                measure,
                period,
                policies,
                ep,
                tally,
                cehrt,
                broadband,
                mbps,
                threshold,
                warnings,
                neither,
                enabledSince,
                asOf,
                initial,
                denominator,
                excluded,
                numerator,
                counts,
                true,
                notAvailable);
    }

    private static UUID[] patientsOf(Map<UUID, List<EncounterRow>> encounters, Patients patients) {
        Set<UUID> canonical = new HashSet<>();
        Set<UUID> ids = new HashSet<>();
        encounters
                .values()
                .forEach(
                        rows ->
                                rows.forEach(
                                        r -> {
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

    private PatientEntry timelyAccess(
            UUID patient,
            List<EncounterRow> visits,
            PeaFacts pea,
            ReportingPeriod period,
            MeasurePolicies policies,
            LocalDate attestation) {
        LocalDate lastAllowed =
                policies.peaActionWindow() == PeaActionWindow.REPORTING_PERIOD
                                && period.end().isBefore(attestation)
                        ? period.end()
                        : attestation;
        List<UUID> evidence = new ArrayList<>();
        // The information: visit documents of these encounters; without any, the visit's own
        // information on the visit date.
        LocalDate earliestInfo = null;
        UUID earliestPractice = null;
        for (EncounterRow visit : visits) {
            List<DocumentRow> documents =
                    pea.documentsByEncounter.getOrDefault(visit.encounterId, List.of());
            if (documents.isEmpty()) {
                if (earliestInfo == null || visit.serviceDate.isBefore(earliestInfo)) {
                    earliestInfo = visit.serviceDate;
                    earliestPractice = visit.practiceId;
                }
                continue;
            }
            for (DocumentRow d : documents) {
                LocalDate deadline =
                        min(
                                addBusinessDays(
                                        d.available,
                                        4,
                                        pea.holidays.getOrDefault(d.practiceId, Set.of())),
                                lastAllowed);
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
        LocalDate deadline =
                min(
                        addBusinessDays(
                                earliestInfo,
                                4,
                                pea.holidays.getOrDefault(earliestPractice, Set.of())),
                        lastAllowed);
        AccessRow access =
                pea.access.getOrDefault(patient, List.of()).stream()
                        .filter(a -> !a.day.isAfter(deadline))
                        .findFirst()
                        .orElse(null);
        if (access == null) {
            return null;
        }
        evidence.add(0, access.id);
        return new PatientEntry(
                patient,
                visits.stream().map(v -> v.encounterId).sorted().toList(),
                evidence,
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

    private static PatientEntry entry(
            UUID patient, List<EncounterRow> visits, List<UUID> events, boolean outside) {
        return new PatientEntry(
                patient,
                visits.stream().map(v -> v.encounterId).distinct().sorted().toList(),
                events,
                outside);
    }

    private static <V> Map<UUID, V> sorted(Map<UUID, V> map) {
        return new TreeMap<>(map);
    }

    record EncounterRow(
            UUID epId,
            UUID encounterId,
            UUID patientId,
            UUID practiceId,
            LocalDate serviceDate,
            String status,
            String classCode,
            String type,
            boolean primaryIsOtherEp,
            boolean cehrt,
            boolean hospitalPos,
            String state,
            String county) {}

    private Map<UUID, List<EncounterRow>> encounters(
            Connection c, Set<UUID> eps, ReportingPeriod period) throws SQLException {
        String sql =
                """
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
                       l.state, l.county, e.location_id
                from encounter_participant ep
                join encounter e on e.id = ep.encounter_id
                left join l on l.id = e.location_id
                where ep.practitioner_id = any(?) and ep.type in ('PPRF', 'SPRF')
                  and e.service_date between ? and ?""";
        Map<UUID, List<EncounterRow>> byEp = new HashMap<>();
        List<Object[]> read = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, POS_SYSTEM);
            s.setArray(2, c.createArrayOf("uuid", eps.toArray()));
            s.setObject(3, period.start());
            s.setObject(4, period.end());
            s.setFetchSize(10_000);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    read.add(
                            new Object[] {
                                new EncounterRow(
                                        r.getObject(1, UUID.class),
                                        r.getObject(2, UUID.class),
                                        r.getObject(3, UUID.class),
                                        r.getObject(4, UUID.class),
                                        r.getObject(5, LocalDate.class),
                                        r.getString(6),
                                        r.getString(7),
                                        r.getString(8),
                                        r.getBoolean(9),
                                        r.getBoolean(10),
                                        r.getBoolean(11),
                                        r.getString(12),
                                        r.getString(13)),
                                r.getObject(14, UUID.class)
                            });
                }
            }
        }
        // the CEHRT history of the encounters' locations, read once for the whole report
        // (docs/measures.md §2.3)
        CehrtHistory history =
                CehrtHistory.read(
                        c,
                        read.stream()
                                .map(o -> (UUID) o[1])
                                .filter(java.util.Objects::nonNull)
                                .collect(java.util.stream.Collectors.toSet()));
        for (Object[] o : read) {
            EncounterRow row = (EncounterRow) o[0];
            UUID location = (UUID) o[1];
            if (location != null) {
                boolean cehrt =
                        history.equippedThroughout(
                                location, period.start(), row.serviceDate, row.cehrt);
                if (cehrt != row.cehrt) {
                    row =
                            new EncounterRow(
                                    row.epId,
                                    row.encounterId,
                                    row.patientId,
                                    row.practiceId,
                                    row.serviceDate,
                                    row.status,
                                    row.classCode,
                                    row.type,
                                    row.primaryIsOtherEp,
                                    cehrt,
                                    row.hospitalPos,
                                    row.state,
                                    row.county);
                }
            }
            byEp.computeIfAbsent(row.epId, k -> new ArrayList<>()).add(row);
        }
        // A participant listed as both PPRF and SPRF is one visit: keep the PPRF row.
        byEp.replaceAll(
                (ep, list) -> {
                    Map<UUID, EncounterRow> one = new LinkedHashMap<>();
                    for (EncounterRow row : list) {
                        one.merge(row.encounterId, row, (a, b) -> "PPRF".equals(a.type) ? a : b);
                    }
                    return new ArrayList<>(one.values());
                });
        return byEp;
    }

    /**
     * MS2 / S3: secure messages sent by the EP (or by staff on behalf of the named EP, or — by
     * policy — automatically in answer to a message to the EP) to the patient or a representative,
     * or in answer to a patient's message; S3 element (c), a provider-to-provider message with the
     * patient included, is a message to the patient too. Result: EP → patient → message ids.
     */
    private Map<UUID, Map<UUID, List<UUID>>> epSent(
            Connection c,
            Set<UUID> eps,
            ReportingPeriod window,
            MeasurePolicies policies,
            Patients patients,
            UUID[] onlyPatients)
            throws SQLException {
        String sql =
                """
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
                  %s"""
                        .formatted(
                                reads.localDate("m.received_at"),
                                onlyPatients == null ? "" : "and m.patient_id = any(?)");
        Map<UUID, Map<UUID, List<UUID>>> result = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setTimestamp(1, MeasureReads.lowerBound(window.start()));
            s.setTimestamp(2, MeasureReads.upperBound(window.end()));
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
                    boolean qualifies =
                            r.getBoolean(5)
                                    || "PATIENT".equals(answered)
                                    || "PROXY".equals(answered);
                    if (!qualifies) {
                        continue;
                    }
                    List<UUID> credited =
                            switch (kind) {
                                case "EP" -> List.of(r.getObject(4, UUID.class));
                                case "STAFF_FOR_EP" ->
                                        policies.countStaffSentOnBehalfOfEp()
                                                ? List.of(r.getObject(4, UUID.class))
                                                : List.of();
                                // an auto-reply to a patient's message, credited to the EPs that
                                // message was addressed to
                                case "AUTOMATIC" ->
                                        policies.countSystemMessagesAsEpSent()
                                                        && ("PATIENT".equals(answered)
                                                                || "PROXY".equals(answered))
                                                ? List.of(MeasureReads.uuids(r.getArray(7)))
                                                : List.of();
                                default -> List.of();
                            };
                    for (UUID ep : credited) {
                        if (eps.contains(ep)) {
                            result.computeIfAbsent(ep, k -> new HashMap<>())
                                    .computeIfAbsent(patient, k -> new ArrayList<>())
                                    .add(r.getObject(1, UUID.class));
                        }
                    }
                }
            }
        }
        return result;
    }

    record AccessRow(UUID id, LocalDate day) {}

    record DocumentRow(UUID id, UUID practiceId, LocalDate available, LocalDate posted) {}

    record VdtRow(UUID id, LocalDate day) {}

    static final class PeaFacts {
        /**
         * Whether transmit was available at all (this deployment recorded when it began to offer it, or
         * the portal is one that always had it); without it PEA-S2-M1 counts nobody.
         */
        boolean transmitOffered = true;

        /** Each access grant dated from when view, download and transmit were all available to it (docs/measures.md §5.1). */
        final Map<UUID, List<AccessRow>> access = new HashMap<>();

        final Map<UUID, List<DocumentRow>> documentsByEncounter = new HashMap<>();
        final Map<UUID, List<VdtRow>> vdt = new HashMap<>();
        final Map<UUID, Set<LocalDate>> holidays = new HashMap<>();
    }

    private PeaFacts peaFacts(
            Connection c, ReportingPeriod period, LocalDate attestation, Patients patients)
            throws SQLException {
        PeaFacts facts = new PeaFacts();
        // Access given before this deployment offered transmit became access to all three functions
        // only on the
        // day transmit arrived (portal_capability, recorded by the migration that brought it):
        // dated from then.
        Timestamp transmitSince = new Timestamp(0);
        if (portal.transmitDatedByDeployment()) {
            try (PreparedStatement s =
                            c.prepareStatement(
                                    "select available_since from portal_capability where capability = 'transmit'");
                    ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    transmitSince = r.getTimestamp(1);
                } else {
                    facts.transmitOffered = false;
                }
            }
        }
        try (PreparedStatement s =
                c.prepareStatement(
                        """
                select a.id, a.patient_id, %s from mu_portal_access_fact a join practice pr on pr.id = a.practice_id
                where a.granted_at < ? order by greatest(a.granted_at, ?), a.id"""
                                .formatted(
                                        reads.localDate(
                                                "greatest(a.granted_at, cast(? as timestamptz))")))) {
            s.setTimestamp(1, transmitSince);
            s.setTimestamp(2, MeasureReads.upperBound(attestation));
            s.setTimestamp(3, transmitSince);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    UUID patient = patients.canonical(r.getObject(2, UUID.class));
                    if (patient != null) {
                        facts.access
                                .computeIfAbsent(patient, k -> new ArrayList<>())
                                .add(
                                        new AccessRow(
                                                r.getObject(1, UUID.class),
                                                r.getObject(3, LocalDate.class)));
                    }
                }
            }
        }
        try (PreparedStatement s =
                c.prepareStatement(
                        """
                select d.id, d.encounter_id, d.practice_id, %s, %s from mu_document_fact d join practice pr on pr.id = d.practice_id
                where d.encounter_id is not null and d.available_at >= ? and d.available_at < ?"""
                                .formatted(
                                        reads.localDate("d.available_at"),
                                        reads.localDate("d.posted_at")))) {
            s.setTimestamp(1, MeasureReads.lowerBound(period.start()));
            s.setTimestamp(2, MeasureReads.upperBound(attestation));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    facts.documentsByEncounter
                            .computeIfAbsent(r.getObject(2, UUID.class), k -> new ArrayList<>())
                            .add(
                                    new DocumentRow(
                                            r.getObject(1, UUID.class),
                                            r.getObject(3, UUID.class),
                                            r.getObject(4, LocalDate.class),
                                            r.getObject(5, LocalDate.class)));
                }
            }
        }
        try (PreparedStatement s =
                c.prepareStatement(
                        """
                select v.id, v.patient_id, %s from mu_vdt_fact v left join practice pr on pr.id = v.practice_id
                where v.actor_kind in ('PATIENT', 'PROXY') and v.showed_information and v.occurred_at >= ? and v.occurred_at < ?
                order by v.occurred_at, v.id"""
                                .formatted(reads.localDate("v.occurred_at")))) {
            s.setTimestamp(1, MeasureReads.lowerBound(LocalDate.of(period.programYear(), 1, 1)));
            s.setTimestamp(2, MeasureReads.upperBound(attestation));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    UUID patient = patients.canonical(r.getObject(2, UUID.class));
                    if (patient != null) {
                        facts.vdt
                                .computeIfAbsent(patient, k -> new ArrayList<>())
                                .add(
                                        new VdtRow(
                                                r.getObject(1, UUID.class),
                                                r.getObject(3, LocalDate.class)));
                    }
                }
            }
        }
        try (PreparedStatement s =
                        c.prepareStatement("select practice_id, day from triage_holiday");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                facts.holidays
                        .computeIfAbsent(r.getObject(1, UUID.class), k -> new HashSet<>())
                        .add(r.getObject(2, LocalDate.class));
            }
        }
        return facts;
    }

    private Map<UUID, LocalDate> practiceCreated(Connection c) throws SQLException {
        Map<UUID, LocalDate> created = new HashMap<>();
        try (PreparedStatement s =
                        c.prepareStatement(
                                "select pr.id, "
                                        + reads.localDate("pr.created_at")
                                        + " from practice pr");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                created.put(r.getObject(1, UUID.class), r.getObject(2, LocalDate.class));
            }
        }
        return created;
    }

    /** Patient messages to a pool, received in the period, that no EP was routed or assigned during the period (§10 row 35). */
    public List<UnattributedMessage> unattributed(
            Collection<UUID> practiceIds, ReportingPeriod period) {
        String sql =
                """
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
                order by m.received_at, m.message_id"""
                        .formatted(
                                reads.localDate("m.received_at"), reads.localDate("a.assigned_at"));
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, c.createArrayOf("uuid", practiceIds.toArray()));
            s.setTimestamp(2, MeasureReads.lowerBound(period.start()));
            s.setTimestamp(3, MeasureReads.upperBound(period.end()));
            s.setObject(4, period.start());
            s.setObject(5, period.end());
            s.setObject(6, period.start());
            s.setObject(7, period.end());
            List<UnattributedMessage> list = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    list.add(
                            new UnattributedMessage(
                                    r.getObject(1, UUID.class),
                                    r.getObject(2, UUID.class),
                                    r.getObject(3, UUID.class),
                                    List.of(MeasureReads.uuids(r.getArray(4))),
                                    r.getTimestamp(5).toInstant()));
                }
            }
            return list;
        } catch (SQLException e) {
            throw new IllegalStateException("measure query failed", e);
        }
    }
}
