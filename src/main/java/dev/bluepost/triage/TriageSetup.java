package dev.bluepost.triage;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PoolView;
import dev.bluepost.fhir.FhirOperations;
import dev.bluepost.messaging.MessagingConfig;
import dev.bluepost.platform.BusinessCalendar;
import dev.bluepost.platform.BusinessCalendar.OfficeHours;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.security.Actor;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Reference;

/**
 * What triage needs of a practice: its settings row, the Device its automatic replies come from,
 * its on-call and refill pools, and, once, the default rules and templates every practice starts
 * with (docs/triage.md). Pools and the Device are created through the FHIR operations, as an
 * integrator would, so they are ordinary directory resources.
 */
@ApplicationScoped
public class TriageSetup {

    static final Actor SYSTEM = Actor.system("triage");

    private final EntityManager em;
    private final FhirOperations fhir;
    private final DirectoryService directory;
    private final TriageConfig config;
    private final MessagingConfig messagingConfig;
    private final BusinessCalendar calendar;
    private final Clock clock;

    public TriageSetup(
            EntityManager em,
            FhirOperations fhir,
            DirectoryService directory,
            TriageConfig config,
            MessagingConfig messagingConfig,
            BusinessCalendar calendar,
            Clock clock) {
        this.em = em;
        this.fhir = fhir;
        this.directory = directory;
        this.config = config;
        this.messagingConfig = messagingConfig;
        this.calendar = calendar;
        this.clock = clock;
    }

    /** The practice's triage settings; created (with default hours) by the first caller, under a row lock for the rest. */
    @Transactional(Transactional.TxType.MANDATORY)
    public TriagePractice settings(UUID practiceId) {
        em.createNativeQuery(
                        "insert into triage_practice (practice_id, created_at) values (?1, ?2) on conflict do nothing")
                .setParameter(1, practiceId)
                .setParameter(2, clock.instant())
                .executeUpdate();
        return em.find(
                TriagePractice.class,
                practiceId,
                jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    }

    /** Settings without a lock (reading). */
    @Transactional(Transactional.TxType.MANDATORY)
    public TriagePractice settingsForReading(UUID practiceId) {
        TriagePractice settings = em.find(TriagePractice.class, practiceId);
        return settings != null ? settings : settings(practiceId);
    }

    /** Installs the default rules the first time (when configured so). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void ensureDefaults(UUID practiceId) {
        if (!config.defaultRules()) {
            return;
        }
        TriagePractice existing = em.find(TriagePractice.class, practiceId);
        if (existing != null && existing.defaultsInstalled != null) {
            return;
        }
        installDefaults(practiceId);
    }

    /** The default rules, templates and pools (idempotent: a practice gets them once). */
    @Transactional
    public void installDefaults(UUID practiceId) {
        TriagePractice settings = settings(practiceId);
        if (settings.defaultsInstalled != null) {
            return;
        }
        onCallPool(practiceId);
        pool(practiceId, config.refillsPool());
        deviceId(practiceId);
        for (String[] text : DefaultRules.AUTOMATIC_TEXTS) {
            persistTemplate(practiceId, text, ReplyTemplate.AUTOMATIC);
        }
        for (String[] template : DefaultRules.STAFF_TEMPLATES) {
            persistTemplate(practiceId, template, ReplyTemplate.STAFF);
        }
        int position = 10;
        for (String[] rule :
                DefaultRules.rules(
                        config.refillsPool(),
                        messagingConfig.replyBusinessDays(),
                        config.acknowledgementDelay().toMinutes())) {
            TriageRule r = new TriageRule();
            r.id = Ids.newId();
            r.practiceId = practiceId;
            r.ruleKey = Ids.newId();
            r.version = 1;
            r.name = rule[0];
            r.definition = rule[1];
            r.position = position;
            r.enabled = true;
            r.current = true;
            r.createdAt = clock.instant();
            r.createdBy = "default rules";
            em.persist(r);
            position += 10;
        }
        settings.defaultsInstalled = clock.instant();
        Log.infof("triage default rules installed practiceId=%s", practiceId);
    }

    private void persistTemplate(UUID practiceId, String[] template, String kind) {
        ReplyTemplate t = new ReplyTemplate();
        t.id = Ids.newId();
        t.practiceId = practiceId;
        t.name = template[0];
        t.body = template[1];
        t.bodyEs = template.length > 2 ? template[2] : null;
        t.kind = kind;
        t.createdAt = clock.instant();
        t.updatedAt = t.createdAt;
        em.persist(t);
    }

    /** The pool red flags escalate to; created when missing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID onCallPool(UUID practiceId) {
        TriagePractice settings = settings(practiceId);
        if (settings.onCallPoolId == null || directory.pool(settings.onCallPoolId).isEmpty()) {
            settings.onCallPoolId = pool(practiceId, config.onCallPool());
        }
        return settings.onCallPoolId;
    }

    /** A pool of the practice by name (case-insensitive); created, without members, when missing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID pool(UUID practiceId, String name) {
        return directory.poolsOfPractice(practiceId).stream()
                .filter(p -> p.name().equalsIgnoreCase(name))
                .findFirst()
                .map(PoolView::id)
                .orElseGet(
                        () -> {
                            CareTeam pool =
                                    new CareTeam()
                                            .setName(name)
                                            .setStatus(CareTeam.CareTeamStatus.ACTIVE);
                            pool.addManagingOrganization(
                                    new Reference("Organization/" + practiceId));
                            UUID id =
                                    UUID.fromString(
                                            fhir.create(pool, null, SYSTEM)
                                                    .resource()
                                                    .getIdElement()
                                                    .getIdPart());
                            Log.infof(
                                    "triage created pool careTeamId=%s practiceId=%s",
                                    id, practiceId);
                            return id;
                        });
    }

    /** The Device automatic replies of the practice are sent by; created when missing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID deviceId(UUID practiceId) {
        TriagePractice settings = settings(practiceId);
        if (settings.deviceId == null || !directory.deviceExists(settings.deviceId)) {
            Device device = new Device();
            device.setStatus(Device.FHIRDeviceStatus.ACTIVE);
            device.addDeviceName()
                    .setName("Automatic messages")
                    .setType(Device.DeviceNameType.USERFRIENDLYNAME);
            device.setOwner(new Reference("Organization/" + practiceId));
            settings.deviceId =
                    UUID.fromString(
                            fhir.create(device, null, SYSTEM)
                                    .resource()
                                    .getIdElement()
                                    .getIdPart());
        }
        return settings.deviceId;
    }

    /** The practice's opening hours and holidays, in its time zone. */
    @Transactional(Transactional.TxType.MANDATORY)
    public OfficeHours hours(UUID practiceId) {
        TriagePractice settings = settingsForReading(practiceId);
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String day : settings.openDays.split(",")) {
            if (!day.isBlank()) {
                days.add(dayOf(day.strip()));
            }
        }
        Set<LocalDate> holidays =
                new HashSet<>(
                        ((List<?>)
                                        em.createNativeQuery(
                                                        "select day from triage_holiday where practice_id = ?1")
                                                .setParameter(1, practiceId)
                                                .getResultList())
                                .stream().map(dev.bluepost.platform.db.SqlValues::date).toList());
        return new OfficeHours(
                directory.zoneOf(practiceId), settings.opens, settings.closes, days, holidays);
    }

    static DayOfWeek dayOf(String code) {
        return Arrays.stream(DayOfWeek.values())
                .filter(d -> d.name().startsWith(code.toUpperCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a day: " + code));
    }

    static String codes(Set<DayOfWeek> days) {
        return days.stream()
                .sorted()
                .map(d -> d.name().substring(0, 3))
                .collect(Collectors.joining(","));
    }

    public record Holiday(LocalDate day, String name) {}

    @Transactional
    public List<Holiday> holidays(UUID practiceId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows =
                em.createNativeQuery(
                                "select day, name from triage_holiday where practice_id = ?1 order by day")
                        .setParameter(1, practiceId)
                        .getResultList();
        return rows.stream()
                .map(
                        r ->
                                new Holiday(
                                        r[0] instanceof java.sql.Date d
                                                ? d.toLocalDate()
                                                : (LocalDate) r[0],
                                        (String) r[1]))
                .toList();
    }

    /** Sets the practice's opening hours (admin page). */
    @Transactional
    public void setHours(UUID practiceId, LocalTime opens, LocalTime closes, Set<DayOfWeek> days) {
        if (opens == null || closes == null || !opens.isBefore(closes)) {
            throw Refused.rule(TriageRefusals::hours_order).about("opens");
        }
        if (days.isEmpty()) {
            throw Refused.rule(TriageRefusals::hours_no_day).about("day");
        }
        TriagePractice settings = settings(practiceId);
        settings.opens = opens;
        settings.closes = closes;
        settings.openDays = codes(days);
    }

    @Transactional
    public void addHoliday(UUID practiceId, LocalDate day, String name) {
        if (day == null) {
            throw Refused.rule(TriageRefusals::holiday_no_date).about("day");
        }
        String clean = name == null || name.isBlank() ? "Holiday" : name.strip();
        if (clean.length() > 100) {
            throw Refused.rule(TriageRefusals::holiday_name).about("name");
        }
        settings(practiceId);
        em.createNativeQuery(
                        "insert into triage_holiday (practice_id, day, name) values (?1, ?2, ?3) "
                                + "on conflict (practice_id, day) do update set name = excluded.name")
                .setParameter(1, practiceId)
                .setParameter(2, day)
                .setParameter(3, clean)
                .executeUpdate();
    }

    @Transactional
    public void removeHoliday(UUID practiceId, LocalDate day) {
        em.createNativeQuery("delete from triage_holiday where practice_id = ?1 and day = ?2")
                .setParameter(1, practiceId)
                .setParameter(2, day)
                .executeUpdate();
    }

    BusinessCalendar calendar() {
        return calendar;
    }
}
