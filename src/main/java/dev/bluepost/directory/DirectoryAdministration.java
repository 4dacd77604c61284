package dev.bluepost.directory;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.fhir.FhirRegistry;
import dev.bluepost.fhir.FhirResourceHandler;
import dev.bluepost.fhir.FhirUrls;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.PlatformConfig;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CareTeam.CareTeamParticipantComponent;
import org.hl7.fhir.r4.model.CareTeam.CareTeamStatus;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The one place where the practice directory changes (ADR 0042): the directory pages call the
 * operations below, the FHIR handlers ({@code directory.fhir}) the checks and the CEHRT history. A
 * page's change is written as the FHIR update of the stored resource (through the same handler a
 * FHIR client's update reaches), so the stored JSON, its version (ETag) and the columns stay one;
 * a page's change is audited here, once; a FHIR write is audited by the FHIR interaction, once.
 */
@ApplicationScoped
public class DirectoryAdministration {

    /** The date from which a location's first known CEHRT flag applies: the beginning of time. */
    public static final LocalDate BEGINNING = LocalDate.of(1, 1, 1);

    /** One change of a location's CEHRT flag: equipped or not from {@code from} (inclusive). */
    public record CehrtChange(
            boolean equipped, LocalDate from, String recordedBy, Instant recordedAt) {}

    /** What a location form says. */
    public record LocationForm(
            String name,
            String line,
            String city,
            String county,
            String state,
            String postalCode,
            boolean cehrtEquipped,
            LocalDate cehrtFrom) {}

    private final EntityManager em;
    private final FhirRegistry registry;
    private final AuditRecorder audit;
    private final Clock clock;
    private final DirectoryService directory;
    private final PlatformConfig config;

    public DirectoryAdministration(
            EntityManager em,
            FhirRegistry registry,
            AuditRecorder audit,
            Clock clock,
            DirectoryService directory,
            PlatformConfig config) {
        this.em = em;
        this.registry = registry;
        this.audit = audit;
        this.clock = clock;
        this.directory = directory;
        this.config = config;
    }

    // ---- checks shared by the pages and the FHIR handlers

    /** A refusal in the directory's words, about one form field (the FHIR side shows its English). */
    public static BluepostException refused(
            ErrorKind kind, String field, Function<DirectoryMessages, String> words) {
        return BluepostException.said(kind, DirectoryMessages.class, words).about(field);
    }

    /** The NPI, checked (digits and check digit, {@link Npi}) and free (no other practitioner has it); null stays null. */
    public String checkNpi(String npi, UUID practitionerId) {
        if (npi == null) {
            return null;
        }
        if (!Npi.isValid(npi)) {
            throw refused(ErrorKind.BUSINESS_RULE, "npi", DirectoryMessages::error_npi_invalid);
        }
        Long holders =
                em.createQuery(
                                "select count(p) from Practitioner p where p.npi = :npi and p.id <> :id",
                                Long.class)
                        .setParameter("npi", npi)
                        .setParameter("id", practitionerId == null ? Ids.newId() : practitionerId)
                        .getSingleResult();
        if (holders > 0) {
            throw refused(ErrorKind.CONFLICT, "npi", DirectoryMessages::error_npi_taken);
        }
        return npi;
    }

    /** A name that is not empty, trimmed. */
    public static String checkName(String name, String field) {
        if (name == null || name.isBlank()) {
            throw refused(ErrorKind.BUSINESS_RULE, field, DirectoryMessages::error_name_empty);
        }
        return name.trim();
    }

    /** An IANA time zone id. */
    public static ZoneId checkZone(String id) {
        try {
            return ZoneId.of(id == null ? "" : id.trim());
        } catch (DateTimeException e) {
            throw refused(ErrorKind.BUSINESS_RULE, "zone", DirectoryMessages::error_zone_unknown);
        }
    }

    /** Days patients may reply after a thread's last message: 1 to 3650; null = the platform's default. */
    public static Integer checkReplyWindow(Integer days) {
        if (days != null && (days < 1 || days > 3650)) {
            throw refused(
                    ErrorKind.BUSINESS_RULE, "replyWindow", DirectoryMessages::error_reply_window);
        }
        return days;
    }

    // ---- the CEHRT history of locations

    /**
     * After a location was written (a FHIR create or update, or a page's): a new location's flag applies
     * from the beginning; a changed flag from today in the practice's zone, unless a dated change was
     * already recorded in this transaction ({@link #saveLocation}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void locationWritten(StoredLocation location, Actor actor) {
        List<CehrtChange> history = cehrtHistory(location.id);
        if (history.isEmpty()) {
            recordCehrt(location.id, location.cehrtEquipped, BEGINNING, actor);
        } else if (equippedOn(history, today(location.practiceId)) != location.cehrtEquipped) {
            recordCehrt(location.id, location.cehrtEquipped, today(location.practiceId), actor);
        }
    }

    /** The location's CEHRT changes, oldest first. */
    public List<CehrtChange> cehrtHistory(UUID locationId) {
        List<Object[]> rows =
                em.createNativeQuery(
                                "select equipped, effective_from, recorded_by, recorded_at from location_cehrt_change "
                                        + "where location_id = ?1 order by effective_from, id",
                                Object[].class)
                        .setParameter(1, locationId)
                        .getResultList();
        List<CehrtChange> changes = new ArrayList<>();
        for (Object[] r : rows) {
            changes.add(
                    new CehrtChange((Boolean) r[0], toDate(r[1]), (String) r[2], toInstant(r[3])));
        }
        return changes;
    }

    /** The flag in effect on a day by a history (oldest first): the last change from that day or before. */
    public static boolean equippedOn(List<CehrtChange> history, LocalDate day) {
        Boolean equipped = null;
        for (CehrtChange change : history) {
            if (!change.from().isAfter(day)) {
                equipped = change.equipped();
            }
        }
        return equipped == null || equipped;
    }

    private void recordCehrt(UUID locationId, boolean equipped, LocalDate from, Actor actor) {
        em.flush(); // the location row first (a new location's history refers to it)
        em.createNativeQuery(
                        "insert into location_cehrt_change (location_id, equipped, effective_from, recorded_by, recorded_at) "
                                + "values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, locationId)
                .setParameter(2, equipped)
                .setParameter(3, from)
                .setParameter(4, actor == null ? "system" : actor.logId())
                .setParameter(5, clock.instant())
                .executeUpdate();
        Log.infof(
                "location CEHRT change recorded locationId=%s equipped=%s from=%s",
                locationId, equipped, from);
    }

    private LocalDate today(UUID practiceId) {
        return LocalDate.now(clock.withZone(directory.zoneOf(practiceId)));
    }

    // ---- what the pages change

    /** Adds ({@code id} null) or edits a practitioner of the admin's practice; returns its id. */
    @Transactional
    public UUID savePractitioner(Actor admin, UUID id, String name, String npi) {
        String checkedName = checkName(name, "name");
        String checkedNpi = checkNpi(npi == null || npi.isBlank() ? null : npi.trim(), id);
        Practitioner resource =
                id == null
                        ? new Practitioner()
                        : read("Practitioner", ownPractitioner(admin, id).id);
        if (id == null) {
            resource.addExtension(
                    FhirUrls.EXT_PRACTICE, new Reference("Organization/" + admin.practiceId()));
            resource.setActive(true);
        }
        resource.setName(new ArrayList<>(List.of(humanName(checkedName))));
        resource.getIdentifier().removeIf(i -> FhirUrls.NPI_SYSTEM.equals(i.getSystem()));
        if (checkedNpi != null) {
            resource.addIdentifier(
                    new Identifier().setSystem(FhirUrls.NPI_SYSTEM).setValue(checkedNpi));
        }
        return write(admin, "Practitioner", id, resource, null);
    }

    /** Deactivates or reactivates a practitioner of the admin's practice (FHIR {@code active}). */
    @Transactional
    public void setPractitionerActive(Actor admin, UUID id, boolean active) {
        Practitioner resource = read("Practitioner", ownPractitioner(admin, id).id);
        resource.setActive(active);
        write(admin, "Practitioner", id, resource, active ? "reactivated" : "deactivated");
    }

    /** Adds or edits a location; a changed CEHRT flag is recorded from the form's date (today when empty). */
    @Transactional
    public UUID saveLocation(Actor admin, UUID id, LocationForm form) {
        String name = checkName(form.name(), "name");
        LocalDate today = today(admin.practiceId());
        if (form.cehrtFrom() != null && form.cehrtFrom().isAfter(today)) {
            throw refused(
                    ErrorKind.BUSINESS_RULE, "cehrtFrom", DirectoryMessages::error_cehrt_date);
        }
        Location resource;
        if (id == null) {
            resource = new Location();
            resource.setManagingOrganization(new Reference("Organization/" + admin.practiceId()));
        } else {
            StoredLocation location = ownLocation(admin, id);
            resource = read("Location", id);
            List<CehrtChange> history = cehrtHistory(id);
            boolean before =
                    history.isEmpty() ? location.cehrtEquipped : equippedOn(history, today);
            if (form.cehrtFrom() != null
                    && (before != form.cehrtEquipped()
                            || equippedOn(history, form.cehrtFrom()) != form.cehrtEquipped())) {
                // a dated change: the handler then sees today's flag already recorded and adds
                // nothing
                recordCehrt(id, form.cehrtEquipped(), form.cehrtFrom(), admin);
            }
        }
        resource.setName(name);
        Address address = resource.getAddress();
        address.setLine(new ArrayList<>());
        if (present(form.line())) {
            address.addLine(form.line().trim());
        }
        address.setCity(trimmed(form.city()));
        address.setDistrict(trimmed(form.county()));
        address.setState(trimmed(form.state()));
        address.setPostalCode(trimmed(form.postalCode()));
        resource.getExtension().removeIf(e -> FhirUrls.EXT_CEHRT_EQUIPPED.equals(e.getUrl()));
        resource.addExtension(FhirUrls.EXT_CEHRT_EQUIPPED, new BooleanType(form.cehrtEquipped()));
        return write(admin, "Location", id, resource, null);
    }

    /** Creates or edits a pool: its name and its member practitioners (of the admin's practice). */
    @Transactional
    public UUID savePool(Actor admin, UUID id, String name, Set<UUID> members) {
        String checkedName = checkName(name, "name");
        Set<UUID> ofPractice = new LinkedHashSet<>();
        directory.practitionersOfPractice(admin.practiceId()).forEach(p -> ofPractice.add(p.id()));
        if (!ofPractice.containsAll(members)) {
            throw refused(
                    ErrorKind.BUSINESS_RULE, "members", DirectoryMessages::error_member_unknown);
        }
        CareTeam resource;
        if (id == null) {
            resource = new CareTeam();
            resource.addManagingOrganization(new Reference("Organization/" + admin.practiceId()));
            resource.setStatus(CareTeamStatus.ACTIVE);
        } else {
            resource = read("CareTeam", ownPool(admin, id).id);
        }
        resource.setName(checkedName);
        resource.getParticipant()
                .removeIf(
                        p ->
                                p.hasMember()
                                        && p.getMember().getReference() != null
                                        && p.getMember()
                                                .getReference()
                                                .startsWith("Practitioner/"));
        members.stream()
                .sorted()
                .forEach(
                        m ->
                                resource.addParticipant(
                                        new CareTeamParticipantComponent()
                                                .setMember(new Reference("Practitioner/" + m))));
        return write(admin, "CareTeam", id, resource, null);
    }

    /** Retires a pool (CareTeam {@code inactive}: patients can no longer write to it) or brings it back. */
    @Transactional
    public void setPoolActive(Actor admin, UUID id, boolean active) {
        CareTeam resource = read("CareTeam", ownPool(admin, id).id);
        resource.setStatus(active ? CareTeamStatus.ACTIVE : CareTeamStatus.INACTIVE);
        write(admin, "CareTeam", id, resource, active ? "reactivated" : "retired");
    }

    /** The practice's name, time zone and reply window (empty = the platform's default). */
    @Transactional
    public void savePractice(Actor admin, String name, String zone, Integer replyWindowDays) {
        String checkedName = checkName(name, "name");
        ZoneId checkedZone = checkZone(zone);
        Integer days = checkReplyWindow(replyWindowDays);
        Organization resource = read("Organization", admin.practiceId());
        resource.setName(checkedName);
        resource.getExtension().removeIf(e -> FhirUrls.EXT_TIME_ZONE.equals(e.getUrl()));
        resource.addExtension(FhirUrls.EXT_TIME_ZONE, new CodeType(checkedZone.getId()));
        resource.getExtension().removeIf(e -> FhirUrls.EXT_REPLY_WINDOW_DAYS.equals(e.getUrl()));
        if (days != null) {
            resource.addExtension(FhirUrls.EXT_REPLY_WINDOW_DAYS, new IntegerType(days));
        }
        write(admin, "Organization", admin.practiceId(), resource, null);
    }

    /** The street line, city and ZIP code of a stored Location (empty strings when it has none). */
    public String[] address(UUID locationId) {
        Location resource = read("Location", locationId);
        Address a = resource.getAddress();
        return new String[] {
            a.hasLine() ? a.getLine().get(0).getValueAsString() : "",
            a.hasCity() ? a.getCity() : "",
            a.hasPostalCode() ? a.getPostalCode() : ""
        };
    }

    // ---- helpers

    private UUID write(Actor admin, String type, UUID id, Resource resource, String reason) {
        FhirResourceHandler<Resource> handler = registry.handler(type);
        UUID target = id == null ? Ids.newId() : id;
        if (id == null) {
            handler.create(resource, target, admin);
        } else {
            handler.update(target, resource, null, admin);
        }
        AuditEntry entry =
                AuditEntry.of(id == null ? AuditAction.CREATE : AuditAction.UPDATE)
                        .on(type, target)
                        .practice(admin.practiceId());
        audit.record(admin, reason == null ? entry : entry.reason(reason));
        Log.infof(
                "directory %s %s by=%s id=%s",
                type,
                id == null ? "created" : (reason == null ? "updated" : reason),
                admin.logId(),
                target);
        return target;
    }

    @SuppressWarnings("unchecked")
    private <R extends Resource> R read(String type, UUID id) {
        return (R) registry.handler(type).read(id, null);
    }

    private StoredPractitioner ownPractitioner(Actor admin, UUID id) {
        StoredPractitioner practitioner = id == null ? null : em.find(StoredPractitioner.class, id);
        if (practitioner == null || !practitioner.practiceIds.contains(admin.practiceId())) {
            throw refused(ErrorKind.NOT_FOUND, null, DirectoryMessages::error_not_found);
        }
        return practitioner;
    }

    private StoredLocation ownLocation(Actor admin, UUID id) {
        StoredLocation location = em.find(StoredLocation.class, id);
        if (location == null || !location.practiceId.equals(admin.practiceId())) {
            throw refused(ErrorKind.NOT_FOUND, null, DirectoryMessages::error_not_found);
        }
        return location;
    }

    private StoredCareTeam ownPool(Actor admin, UUID id) {
        StoredCareTeam pool = id == null ? null : em.find(StoredCareTeam.class, id);
        if (pool == null || !pool.practiceId.equals(admin.practiceId())) {
            throw refused(ErrorKind.NOT_FOUND, null, DirectoryMessages::error_not_found);
        }
        return pool;
    }

    private static HumanName humanName(String text) {
        HumanName name = new HumanName().setText(text).setUse(HumanName.NameUse.OFFICIAL);
        String[] words = text.split("\\s+");
        name.setFamily(words[words.length - 1]);
        for (int i = 0; i < words.length - 1; i++) {
            if (i == 0 && words.length > 2 && words[0].endsWith(".")) {
                name.addPrefix(words[0]); // "Dr."
            } else {
                name.addGiven(words[i]);
            }
        }
        return name;
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static String trimmed(String s) {
        return present(s) ? s.trim() : null;
    }

    private static LocalDate toDate(Object value) {
        return value instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) value;
    }

    private static Instant toInstant(Object value) {
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        return (Instant) value;
    }
}
