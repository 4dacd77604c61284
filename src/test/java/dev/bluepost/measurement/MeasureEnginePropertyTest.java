package dev.bluepost.measurement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bluepost.measurement.engine.Ep;
import dev.bluepost.measurement.engine.EpMeasureReport;
import dev.bluepost.measurement.engine.MeasureEvaluator;
import dev.bluepost.measurement.engine.MeasureId;
import dev.bluepost.measurement.engine.MeasurePolicies;
import dev.bluepost.measurement.engine.MeasurePolicies.PeaActionWindow;
import dev.bluepost.measurement.engine.MeasurePolicies.PoolAttribution;
import dev.bluepost.measurement.engine.MeasureSummary;
import dev.bluepost.measurement.engine.ReportingPeriod;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random practices — patients (merged, test), proxies with authorization periods, EPs and staff,
 * CEHRT and non-CEHRT locations, hospital encounters, cancelled visits, supervised visits, patient,
 * proxy, EP, staff-for-EP and automatic messages to EPs, pools and patients, assignments in and out
 * of the period, random policy flags — stored in PostgreSQL and measured by the engine, then checked
 * against the deliberately simple reading of docs/measures.md below, written without SQL and without
 * looking at the engine. Then some visits are cancelled or deleted, a record is merged or found to be
 * a test patient, a location loses or gains CEHRT — so the database's aggregates (ADR 0027 part 2) are
 * maintained through updates and deletes too.
 *
 * <p>The SQL summary ({@link MeasureSummary#sqlSummary}) is held to the same reading (every population
 * count, the met flag) and to the exact per-EP path (counts, exclusions with their evidence, CEHRT
 * share, warnings) for the 90-day period and for periods of whole months, ragged edges, a whole year
 * and two years.
 */
class MeasureEnginePropertyTest {

    static final ReportingPeriod PERIOD =
            new ReportingPeriod(LocalDate.of(2017, 4, 1), LocalDate.of(2017, 6, 29));

    // ------------------------------------------------------------- the model

    record Enc(
            UUID patient,
            LocalDate day,
            String status,
            String cls,
            UUID location,
            UUID pprf,
            UUID sprf) {}

    record Msg(
            UUID id,
            UUID patient,
            String kind,
            UUID sender,
            LocalDateTime at,
            boolean secure,
            UUID answers,
            List<UUID> toEps,
            List<UUID> toPools,
            boolean toPatient) {}

    record Assignment(UUID message, UUID ep, LocalDateTime at) {}

    static final class World {
        final Set<UUID> eps = new HashSet<>();
        final Set<UUID> staff = new HashSet<>();
        final Map<UUID, Boolean> cehrt = new HashMap<>();
        final Set<UUID> hospitalLocations = new HashSet<>();
        final List<UUID> patients = new ArrayList<>();
        final Map<UUID, UUID> mergedInto = new HashMap<>();
        final Set<UUID> testPatients = new HashSet<>();
        final Map<UUID, UUID> proxyOf = new HashMap<>();
        final Map<UUID, LocalDateTime[]> proxyPeriod = new HashMap<>();
        final List<Enc> encounters = new ArrayList<>();
        final List<Msg> messages = new ArrayList<>();
        final List<Assignment> assignments = new ArrayList<>();
    }

    // ------------------------------------------------------------- the simple oracle

    static UUID canonical(World w, UUID p) {
        UUID c = p;
        for (int i = 0; i < 10 && w.mergedInto.containsKey(c); i++) {
            if (w.testPatients.contains(c)) {
                return null;
            }
            c = w.mergedInto.get(c);
        }
        return w.testPatients.contains(c) ? null : c;
    }

    static boolean seen(World w, Enc e, UUID ep, MeasurePolicies policies) {
        if (!e.status.equals("finished")) {
            return false;
        }
        if (ep.equals(e.pprf)) {
            return true;
        }
        if (ep.equals(e.sprf)) {
            return w.eps.contains(e.pprf) || policies.includeStaffOnlyVisits();
        }
        return false;
    }

    static boolean office(Enc e) {
        return e.cls.equals("AMB") || e.cls.equals("VR");
    }

    static Set<UUID> denominator(World w, UUID ep, MeasurePolicies policies) {
        int all = 0;
        int cehrt = 0;
        for (Enc e : w.encounters) {
            if (PERIOD.contains(e.day)
                    && seen(w, e, ep, policies)
                    && canonical(w, e.patient) != null
                    && !e.cls.equals("IMP")
                    && !w.hospitalLocations.contains(e.location)) {
                all++;
                if (w.cehrt.get(e.location)) {
                    cehrt++;
                }
            }
        }
        boolean eligible = all == 0 || cehrt * 2 >= all;
        Set<UUID> d = new HashSet<>();
        for (Enc e : w.encounters) {
            UUID p = canonical(w, e.patient);
            if (p != null
                    && PERIOD.contains(e.day)
                    && office(e)
                    && seen(w, e, ep, policies)
                    && (w.cehrt.get(e.location)
                            || policies.includeNonCehrtEncountersEnteredInCehrt() && eligible)) {
                d.add(p);
            }
        }
        return d;
    }

    static Set<UUID> smS2Numerator(
            World w, UUID ep, MeasurePolicies policies, Set<UUID> denominator) {
        Set<UUID> n = new HashSet<>();
        for (Msg m : w.messages) {
            boolean patientSide =
                    m.kind.equals("PATIENT")
                            || m.kind.equals("PROXY") && proxyActive(w, m.sender, m.at);
            if (!patientSide || !m.secure || !PERIOD.contains(m.at.toLocalDate())) {
                continue;
            }
            boolean credited = m.toEps.contains(ep);
            if (!m.toPools.isEmpty()) {
                if (policies.poolAttribution() == PoolAttribution.PRACTICE_WIDE) {
                    credited = true;
                } else {
                    for (Assignment a : w.assignments) {
                        if (a.message.equals(m.id)
                                && a.ep.equals(ep)
                                && PERIOD.contains(a.at.toLocalDate())) {
                            credited = true;
                        }
                    }
                }
            }
            UUID p = canonical(w, m.patient);
            if (credited && p != null && denominator.contains(p)) {
                n.add(p);
            }
        }
        return n;
    }

    static boolean proxyActive(World w, UUID proxy, LocalDateTime at) {
        LocalDateTime[] period = w.proxyPeriod.get(proxy);
        return (period[0] == null || !at.isBefore(period[0]))
                && (period[1] == null || at.isBefore(period[1]));
    }

    static Set<UUID> ms2Numerator(
            World w, UUID ep, MeasurePolicies policies, Set<UUID> denominator) {
        Set<UUID> n = new HashSet<>();
        for (Msg m : w.messages) {
            if (!m.secure || m.at.getYear() != 2017) {
                continue;
            }
            Msg answered =
                    w.messages.stream()
                            .filter(o -> o.id.equals(m.answers))
                            .findFirst()
                            .orElse(null);
            boolean toPatientOrAnswer =
                    m.toPatient
                            || answered != null
                                    && (answered.kind.equals("PATIENT")
                                            || answered.kind.equals("PROXY"));
            boolean byEp =
                    switch (m.kind) {
                        case "EP" -> m.sender.equals(ep);
                        case "STAFF_FOR_EP" ->
                                m.sender.equals(ep) && policies.countStaffSentOnBehalfOfEp();
                        case "AUTOMATIC" ->
                                policies.countSystemMessagesAsEpSent()
                                        && answered != null
                                        && (answered.kind.equals("PATIENT")
                                                || answered.kind.equals("PROXY"))
                                        && answered.toEps.contains(ep);
                        default -> false;
                    };
            UUID p = canonical(w, m.patient);
            if (byEp && toPatientOrAnswer && p != null && denominator.contains(p)) {
                n.add(p);
            }
        }
        return n;
    }

    // ------------------------------------------------------------- the property

    @Property(tries = 30)
    void engineAgreesWithTheSimpleReading(
            @ForAll long seed,
            @ForAll @IntRange(min = 2, max = 4) int epCount,
            @ForAll @IntRange(min = 3, max = 14) int patientCount,
            @ForAll @IntRange(min = 0, max = 40) int encounterCount,
            @ForAll @IntRange(min = 0, max = 40) int messageCount,
            @ForAll boolean practiceWide,
            @ForAll boolean staffOnly,
            @ForAll boolean nonCehrt,
            @ForAll boolean systemMessages,
            @ForAll boolean staffForEp) {
        MeasureDatabase.reset();
        Random random = new Random(seed);
        MeasureFacts f = new MeasureFacts(MeasureDatabase.dataSource());
        // a third of the encounter writes defer the aggregates' refresh, as the bulk import does
        // (ADR 0031)
        Random deferrals = new Random(seed * 31 + 7);
        World w = new World();
        for (int i = 0; i < epCount; i++) {
            w.eps.add(f.ep());
        }
        UUID nurse = f.staff();
        w.staff.add(nurse);
        List<UUID> eps = new ArrayList<>(w.eps);
        List<UUID> locations = new ArrayList<>();
        List<UUID> encounterIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            boolean cehrt = random.nextInt(3) != 0;
            boolean hospital = i == 2 && random.nextBoolean();
            UUID l = f.location(cehrt, "C" + i, hospital ? "21" : null);
            w.cehrt.put(l, cehrt);
            if (hospital) {
                w.hospitalLocations.add(l);
            }
            locations.add(l);
        }
        for (int i = 0; i < patientCount; i++) {
            boolean test = random.nextInt(10) == 0;
            UUID p = f.patient(test);
            if (test) {
                w.testPatients.add(p);
            }
            w.patients.add(p);
        }
        for (int i = 1; i < patientCount; i++) {
            if (random.nextInt(6) == 0) {
                UUID retired = w.patients.get(i);
                UUID survivor = w.patients.get(random.nextInt(i));
                if (!w.mergedInto.containsKey(survivor) && !w.mergedInto.containsKey(retired)) {
                    f.merge(retired, survivor);
                    w.mergedInto.put(retired, survivor);
                }
            }
        }
        List<UUID> proxies = new ArrayList<>();
        for (UUID p : w.patients) {
            if (random.nextInt(4) == 0) {
                LocalDateTime from = random.nextBoolean() ? null : day(random).atTime(8, 0);
                LocalDateTime to = random.nextBoolean() ? null : day(random).atTime(8, 0);
                UUID proxy =
                        f.proxy(
                                p,
                                from == null ? null : MeasureFacts.at(from),
                                to == null ? null : MeasureFacts.at(to));
                w.proxyOf.put(proxy, p);
                w.proxyPeriod.put(proxy, new LocalDateTime[] {from, to});
                proxies.add(proxy);
            }
        }
        UUID pool = f.pool();
        String[] statuses = {"finished", "finished", "finished", "cancelled"};
        String[] classes = {"AMB", "AMB", "VR", "IMP"};
        for (int i = 0; i < encounterCount; i++) {
            UUID patient = w.patients.get(random.nextInt(patientCount));
            LocalDate day = day(random);
            String status = statuses[random.nextInt(statuses.length)];
            String cls = classes[random.nextInt(classes.length)];
            UUID location = locations.get(random.nextInt(locations.size()));
            UUID ep = eps.get(random.nextInt(eps.size()));
            UUID other = eps.get(random.nextInt(eps.size()));
            Enc e =
                    switch (random.nextInt(4)) {
                        case 0 -> new Enc(patient, day, status, cls, location, nurse, ep);
                        case 1 ->
                                other.equals(ep)
                                        ? new Enc(patient, day, status, cls, location, ep, null)
                                        : new Enc(patient, day, status, cls, location, ep, other);
                        default -> new Enc(patient, day, status, cls, location, ep, null);
                    };
            f.deferring = deferrals.nextInt(3) == 0;
            if (e.sprf == null) {
                encounterIds.add(
                        f.encounter(e.patient, e.day, e.location, e.status, e.cls, e.pprf, "PPRF"));
            } else {
                encounterIds.add(
                        f.encounter(
                                e.patient,
                                e.day,
                                e.location,
                                e.status,
                                e.cls,
                                e.pprf,
                                "PPRF",
                                e.sprf,
                                "SPRF"));
            }
            w.encounters.add(e);
        }
        for (int i = 0; i < messageCount; i++) {
            UUID patient = w.patients.get(random.nextInt(patientCount));
            LocalDateTime at =
                    day(random)
                            .atTime(
                                    random.nextBoolean()
                                            ? LocalTime.of(23, 30)
                                            : LocalTime.of(random.nextInt(24), random.nextInt(60)));
            boolean secure = random.nextInt(8) != 0;
            UUID ep = eps.get(random.nextInt(eps.size()));
            UUID id;
            Msg m;
            switch (random.nextInt(6)) {
                case 0, 1 -> { // patient (or a proxy of theirs) to an EP or a pool
                    List<UUID> theirProxies =
                            proxies.stream().filter(x -> w.proxyOf.get(x).equals(patient)).toList();
                    boolean byProxy = !theirProxies.isEmpty() && random.nextBoolean();
                    UUID sender = byProxy ? theirProxies.get(0) : patient;
                    boolean toPool = random.nextBoolean();
                    String recipient = toPool ? "CareTeam/" + pool : "Practitioner/" + ep;
                    id =
                            f.message(
                                    patient,
                                    byProxy ? "PROXY" : "PATIENT",
                                    byProxy ? "RelatedPerson" : "Patient",
                                    sender,
                                    MeasureFacts.at(at),
                                    secure,
                                    null,
                                    recipient);
                    m =
                            new Msg(
                                    id,
                                    patient,
                                    byProxy ? "PROXY" : "PATIENT",
                                    sender,
                                    at,
                                    secure,
                                    null,
                                    toPool ? List.of() : List.of(ep),
                                    toPool ? List.of(pool) : List.of(),
                                    false);
                    if (toPool && random.nextBoolean()) {
                        LocalDateTime assignedAt =
                                at.plusDays(random.nextInt(4) == 0 ? 40 : random.nextInt(2));
                        f.assign(id, ep, assignedAt);
                        w.assignments.add(new Assignment(id, ep, assignedAt));
                    }
                }
                case 2, 3 -> { // an EP, or staff on behalf of one, to the patient, or answering an
                    // earlier message
                    String kind = random.nextBoolean() ? "EP" : "STAFF_FOR_EP";
                    Msg answered =
                            w.messages.isEmpty() || random.nextBoolean()
                                    ? null
                                    : w.messages.get(random.nextInt(w.messages.size()));
                    UUID about = answered == null ? patient : answered.patient;
                    boolean toPatient = answered == null || random.nextBoolean();
                    UUID colleague = eps.get(random.nextInt(eps.size()));
                    String recipient = toPatient ? "Patient/" + about : "Practitioner/" + colleague;
                    id =
                            f.message(
                                    about,
                                    kind,
                                    "Practitioner",
                                    ep,
                                    MeasureFacts.at(at),
                                    secure,
                                    answered == null ? null : answered.id,
                                    recipient);
                    m =
                            new Msg(
                                    id,
                                    about,
                                    kind,
                                    ep,
                                    at,
                                    secure,
                                    answered == null ? null : answered.id,
                                    toPatient ? List.of() : List.of(colleague),
                                    List.of(),
                                    toPatient);
                }
                case 4 -> { // an automatic reply
                    Msg answered =
                            w.messages.isEmpty()
                                    ? null
                                    : w.messages.get(random.nextInt(w.messages.size()));
                    UUID about = answered == null ? patient : answered.patient;
                    id =
                            f.message(
                                    about,
                                    "AUTOMATIC",
                                    "Device",
                                    UUID.randomUUID(),
                                    MeasureFacts.at(at),
                                    true,
                                    answered == null ? null : answered.id,
                                    "Patient/" + about);
                    m =
                            new Msg(
                                    id,
                                    about,
                                    "AUTOMATIC",
                                    null,
                                    at,
                                    true,
                                    answered == null ? null : answered.id,
                                    List.of(),
                                    List.of(),
                                    true);
                }
                default -> { // staff (no NPI) to the patient
                    id =
                            f.message(
                                    patient,
                                    "STAFF",
                                    "Practitioner",
                                    nurse,
                                    MeasureFacts.at(at),
                                    secure,
                                    null,
                                    "Patient/" + patient);
                    m =
                            new Msg(
                                    id, patient, "STAFF", nurse, at, secure, null, List.of(),
                                    List.of(), true);
                }
            }
            w.messages.add(m);
        }

        // changes after the fact: the aggregates must follow updates and deletes
        for (int i = 0; i < encounterCount / 8; i++) {
            int k = random.nextInt(w.encounters.size());
            Enc e = w.encounters.get(k);
            f.deferring = deferrals.nextInt(3) == 0;
            if (random.nextBoolean()) {
                String status = e.status.equals("finished") ? "cancelled" : "finished";
                f.status(encounterIds.get(k), status);
                w.encounters.set(
                        k, new Enc(e.patient, e.day, status, e.cls, e.location, e.pprf, e.sprf));
            } else {
                f.deleteEncounter(encounterIds.get(k));
                w.encounters.remove(k);
                encounterIds.remove(k);
            }
        }
        if (random.nextInt(3) == 0) { // a merge after the visits and messages were recorded
            UUID retired = w.patients.get(random.nextInt(patientCount));
            UUID survivor = w.patients.get(random.nextInt(patientCount));
            if (!retired.equals(survivor)
                    && !w.mergedInto.containsKey(retired)
                    && !w.mergedInto.containsKey(survivor)
                    && !w.mergedInto.containsValue(retired)) {
                f.merge(retired, survivor);
                w.mergedInto.put(retired, survivor);
            }
        }
        if (random.nextInt(4) == 0) { // a record found to be a test patient later
            UUID p = w.patients.get(random.nextInt(patientCount));
            f.testPatient(p);
            w.testPatients.add(p);
        }
        if (random.nextInt(3) == 0) {
            UUID l = locations.get(random.nextInt(locations.size()));
            boolean cehrt = !w.cehrt.get(l);
            f.cehrt(l, cehrt);
            w.cehrt.put(l, cehrt);
        }

        MeasurePolicies policies =
                new MeasurePolicies(
                        practiceWide ? PoolAttribution.PRACTICE_WIDE : PoolAttribution.ASSIGNED_EP,
                        staffOnly,
                        nonCehrt,
                        systemMessages,
                        staffForEp,
                        PeaActionWindow.REPORTING_YEAR_TO_ATTESTATION);
        // both query paths: narrowed to the EPs' patients (few EPs) and over every message of the
        // period
        MeasureEvaluator engine =
                new MeasureEvaluator(
                        MeasureDatabase.dataSource(), MeasureFacts.ZONE, seed % 2 == 0 ? 10 : 0);
        MeasureSummary summaries =
                new MeasureSummary(MeasureDatabase.dataSource(), MeasureFacts.ZONE, engine);
        List<Ep> scope = engine.eps(List.of(f.practice), null);
        Instant asOf = Instant.parse("2018-01-10T00:00:00Z");
        Map<UUID, EpMeasureReport> s2 =
                byEp(
                        engine.evaluate(
                                MeasureId.SM_S2,
                                PERIOD,
                                policies,
                                scope,
                                LocalDate.of(2018, 1, 10),
                                asOf));
        Map<UUID, EpMeasureReport> ms2 =
                byEp(
                        engine.evaluate(
                                MeasureId.SM_MS2_2017,
                                PERIOD,
                                policies,
                                scope,
                                LocalDate.of(2018, 1, 10),
                                asOf));
        assertThat(s2.keySet()).isEqualTo(w.eps);
        for (UUID ep : w.eps) {
            Set<UUID> denominator = denominator(w, ep, policies);
            Set<UUID> s2Numerator = smS2Numerator(w, ep, policies, denominator);
            Set<UUID> ms2Numerator = ms2Numerator(w, ep, policies, denominator);
            assertThat(s2.get(ep).denominator().keySet())
                    .as("SM-S2 denominator of EP %s (seed %d)", ep, seed)
                    .isEqualTo(denominator);
            assertThat(s2.get(ep).numerator().keySet())
                    .as("SM-S2 numerator (seed %d)", seed)
                    .isEqualTo(s2Numerator);
            assertThat(s2.get(ep).thresholdMet())
                    .isEqualTo(s2Numerator.size() * 20 > denominator.size());
            assertThat(ms2.get(ep).denominator().keySet()).isEqualTo(denominator);
            assertThat(ms2.get(ep).numerator().keySet())
                    .as("SM-MS2-2017 numerator (seed %d)", seed)
                    .isEqualTo(ms2Numerator);
            assertThat(ms2.get(ep).thresholdMet())
                    .isEqualTo(ms2Numerator.size() * 20 > denominator.size());
            assertThat(denominator).containsAll(s2Numerator);
        }

        // the SQL summary: the same numbers as the simple reading and as the exact path
        Map<UUID, EpMeasureReport> sql =
                byEp(
                        summaries
                                .sqlSummary(MeasureId.SM_S2, PERIOD, policies, scope, asOf)
                                .orElseThrow(
                                        () ->
                                                new AssertionError(
                                                        "the SQL summary must serve SM-S2 here")));
        assertThat(MeasureDatabase.count("select count(*) from mu_stale_encounter"))
                .as("the summary refreshed the deferred encounters before reading (seed %d)", seed)
                .isZero();
        for (UUID ep : w.eps) {
            Set<UUID> denominator = denominator(w, ep, policies);
            Set<UUID> s2Numerator = smS2Numerator(w, ep, policies, denominator);
            EpMeasureReport r = sql.get(ep);
            assertThat(r.patientLists()).isFalse();
            assertThat(r.counts().denominator())
                    .as("SQL summary denominator (seed %d)", seed)
                    .isEqualTo(denominator.size());
            assertThat(r.counts().numerator())
                    .as("SQL summary numerator (seed %d)", seed)
                    .isEqualTo(s2Numerator.size());
            assertThat(r.thresholdMet()).isEqualTo(s2Numerator.size() * 20 > denominator.size());
        }
        List<ReportingPeriod> periods =
                List.of(
                        PERIOD,
                        new ReportingPeriod(LocalDate.of(2017, 4, 1), LocalDate.of(2017, 6, 30)),
                        new ReportingPeriod(LocalDate.of(2017, 3, 29), LocalDate.of(2017, 7, 2)),
                        new ReportingPeriod(LocalDate.of(2017, 4, 3), LocalDate.of(2017, 4, 20)),
                        new ReportingPeriod(LocalDate.of(2017, 1, 1), LocalDate.of(2017, 12, 31)),
                        new ReportingPeriod(LocalDate.of(2016, 6, 1), LocalDate.of(2018, 5, 31)));
        for (ReportingPeriod period : periods) {
            Map<UUID, EpMeasureReport> exact =
                    byEp(
                            engine.evaluate(
                                    MeasureId.SM_S2,
                                    period,
                                    policies,
                                    scope,
                                    LocalDate.of(2018, 1, 10),
                                    asOf));
            Map<UUID, EpMeasureReport> summary =
                    byEp(
                            summaries
                                    .sqlSummary(MeasureId.SM_S2, period, policies, scope, asOf)
                                    .orElseThrow());
            for (UUID ep : w.eps) {
                EpMeasureReport e = exact.get(ep);
                EpMeasureReport s = summary.get(ep);
                assertThat(s.counts())
                        .as("SQL summary counts, %s (seed %d)", period, seed)
                        .isEqualTo(e.counts());
                assertThat(s.thresholdMet()).isEqualTo(e.thresholdMet());
                assertThat(s.officeVisits()).isEqualTo(e.officeVisits());
                assertThat(s.cehrt())
                        .as("CEHRT share, %s (seed %d)", period, seed)
                        .isEqualTo(e.cehrt());
                assertThat(s.exclusions())
                        .as("exclusions, %s (seed %d)", period, seed)
                        .isEqualTo(e.exclusions());
                assertThat(s.warnings()).isEqualTo(e.warnings());
                assertThat(s.policies()).isEqualTo(e.policies());
            }
        }
    }

    static LocalDate day(Random random) {
        return PERIOD.start().minusDays(5).plusDays(random.nextInt((int) PERIOD.days() + 10));
    }

    static Map<UUID, EpMeasureReport> byEp(List<EpMeasureReport> reports) {
        Map<UUID, EpMeasureReport> map = new HashMap<>();
        reports.forEach(r -> map.put(r.practitionerId(), r));
        return map;
    }
}
