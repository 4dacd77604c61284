package dev.bluepost.directory;

import dev.bluepost.directory.DirectoryViews.LocationView;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.directory.DirectoryViews.PoolView;
import dev.bluepost.directory.DirectoryViews.PracticeView;
import dev.bluepost.directory.DirectoryViews.PractitionerView;
import dev.bluepost.directory.DirectoryViews.ProxyView;
import dev.bluepost.platform.PlatformConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The directory as other features see it: practices, patients, practitioners, pools, locations, proxies. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class DirectoryService implements dev.bluepost.platform.PracticeZones {

    private final EntityManager em;
    private final PlatformConfig config;
    private final ProxyConfig proxies;

    public DirectoryService(EntityManager em, PlatformConfig config, ProxyConfig proxies) {
        this.em = em;
        this.config = config;
        this.proxies = proxies;
    }

    /**
     * Whether a proxy authorization is in force at {@code instant}: active, within its period, and
     * (for a parent) the patient not yet of age. Every check of proxy access goes through here.
     */
    public boolean authorizationInForce(ProxyView proxy, java.time.Instant instant) {
        if (!proxy.isActiveAt(instant)) {
            return false;
        }
        if (proxy.relationship() == null
                || !proxies.parentRelationships().contains(proxy.relationship())) {
            return true;
        }
        return patient(proxy.patientId())
                .map(
                        p ->
                                p.birthDate() == null
                                        || java.time.LocalDate.ofInstant(
                                                        instant, zoneOf(p.practiceId()))
                                                .isBefore(
                                                        p.birthDate()
                                                                .plusYears(
                                                                        proxies
                                                                                .parentAccessEndsAtAge())))
                .orElse(false);
    }

    public Optional<PracticeView> practice(UUID id) {
        return Optional.ofNullable(em.find(Practice.class, id)).map(this::view);
    }

    public List<PracticeView> practices() {
        return em
                .createQuery("from Practice order by name", Practice.class)
                .getResultList()
                .stream()
                .map(this::view)
                .toList();
    }

    @Override
    public ZoneId zoneOf(UUID practiceId) {
        if (practiceId == null) {
            return config.defaultTimeZone();
        }
        return practice(practiceId).map(PracticeView::zone).orElse(config.defaultTimeZone());
    }

    public Optional<PatientView> patient(UUID id) {
        return Optional.ofNullable(em.find(StoredPatient.class, id)).map(DirectoryService::view);
    }

    /** The practice the patient belongs to, if the patient exists and has one (read without loading the patient's record). */
    public Optional<UUID> practiceOfPatient(UUID id) {
        return em
                .createQuery("select p.practiceId from Patient p where p.id = :id", UUID.class)
                .setParameter("id", id)
                .getResultList()
                .stream()
                .filter(java.util.Objects::nonNull)
                .findFirst();
    }

    /** The e-mail address on the patient's record (Patient.telecom), for the notifications of the patient's own login. */
    public Optional<String> patientEmail(UUID id) {
        return Optional.ofNullable(em.find(StoredPatient.class, id))
                .map(p -> p.email)
                .filter(e -> !e.isBlank());
    }

    /** The patients whose record has this e-mail address (compared trimmed and lower-cased); ids only. */
    public List<UUID> patientIdsWithEmail(String address) {
        if (address == null || address.isBlank()) {
            return List.of();
        }
        return em.createQuery(
                        "select p.id from Patient p where lower(trim(p.email)) = :address",
                        UUID.class)
                .setParameter("address", address.strip().toLowerCase(java.util.Locale.ROOT))
                .getResultList();
    }

    public List<PatientView> patients(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return em
                .createQuery("from Patient where id in :ids", StoredPatient.class)
                .setParameter("ids", ids)
                .getResultList()
                .stream()
                .map(DirectoryService::view)
                .toList();
    }

    /** Which of these patients exist (ids only: no entity is loaded). */
    public Set<UUID> existingPatients(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(
                em.createQuery("select p.id from Patient p where p.id in :ids", UUID.class)
                        .setParameter("ids", ids)
                        .getResultList());
    }

    public List<PatientView> patientsOfPractice(UUID practiceId) {
        return em
                .createQuery(
                        "from Patient where practiceId = :p order by family, displayName",
                        StoredPatient.class)
                .setParameter("p", practiceId)
                .getResultList()
                .stream()
                .map(DirectoryService::view)
                .toList();
    }

    public Optional<PractitionerView> practitioner(UUID id) {
        return Optional.ofNullable(em.find(StoredPractitioner.class, id))
                .map(DirectoryService::view);
    }

    public List<PractitionerView> practitioners(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return em
                .createQuery("from Practitioner where id in :ids", StoredPractitioner.class)
                .setParameter("ids", ids)
                .getResultList()
                .stream()
                .map(DirectoryService::view)
                .toList();
    }

    /** Which of these practitioners exist (ids only: no entity is loaded). */
    public Set<UUID> existingPractitioners(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(
                em.createQuery("select p.id from Practitioner p where p.id in :ids", UUID.class)
                        .setParameter("ids", ids)
                        .getResultList());
    }

    public List<PractitionerView> practitionersOfPractice(UUID practiceId) {
        return em
                .createQuery(
                        "select p from Practitioner p where :practice member of p.practiceIds order by p.family, p.displayName",
                        StoredPractitioner.class)
                .setParameter("practice", practiceId)
                .getResultList()
                .stream()
                .map(DirectoryService::view)
                .toList();
    }

    public Optional<PoolView> pool(UUID id) {
        return Optional.ofNullable(em.find(StoredCareTeam.class, id)).map(DirectoryService::view);
    }

    public List<PoolView> poolsOfPractice(UUID practiceId) {
        return em
                .createQuery(
                        "from CareTeam where practiceId = :p and status = 'active' order by name",
                        StoredCareTeam.class)
                .setParameter("p", practiceId)
                .getResultList()
                .stream()
                .map(DirectoryService::view)
                .toList();
    }

    /** Every pool of the practice, retired ones too (the pools page), active ones first. */
    public List<PoolView> allPoolsOfPractice(UUID practiceId) {
        return em
                .createQuery(
                        "from CareTeam where practiceId = :p order by case when status = 'active' then 0 else 1 end, name",
                        StoredCareTeam.class)
                .setParameter("p", practiceId)
                .getResultList()
                .stream()
                .map(DirectoryService::view)
                .toList();
    }

    public Optional<PoolView> poolByName(UUID practiceId, String name) {
        return poolsOfPractice(practiceId).stream()
                .filter(p -> p.name().equalsIgnoreCase(name))
                .findFirst();
    }

    public Optional<LocationView> location(UUID id) {
        return Optional.ofNullable(em.find(StoredLocation.class, id)).map(DirectoryService::view);
    }

    public List<LocationView> locationsOfPractice(UUID practiceId) {
        return em
                .createQuery(
                        "from Location where practiceId = :p order by name", StoredLocation.class)
                .setParameter("p", practiceId)
                .getResultList()
                .stream()
                .map(DirectoryService::view)
                .toList();
    }

    public Optional<ProxyView> relatedPerson(UUID id) {
        return Optional.ofNullable(em.find(StoredRelatedPerson.class, id))
                .map(DirectoryService::view);
    }

    public List<ProxyView> relatedPersons(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return em
                .createQuery("from RelatedPerson where id in :ids", StoredRelatedPerson.class)
                .setParameter("ids", ids)
                .getResultList()
                .stream()
                .map(DirectoryService::view)
                .toList();
    }

    public List<ProxyView> relatedPersonsOfPatients(Collection<UUID> patientIds) {
        if (patientIds.isEmpty()) {
            return List.of();
        }
        return em
                .createQuery(
                        "from RelatedPerson where patientId in :ids", StoredRelatedPerson.class)
                .setParameter("ids", patientIds)
                .getResultList()
                .stream()
                .map(DirectoryService::view)
                .toList();
    }

    /** Whether the Device exists (its id only: the entity and its stored resource are not loaded). */
    public boolean deviceExists(UUID id) {
        return em.createQuery("select count(d) from Device d where d.id = :id", Long.class)
                        .setParameter("id", id)
                        .getSingleResult()
                > 0;
    }

    /** Records that a practitioner works for a practice (learned from a care team or an encounter). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordPracticeMembership(UUID practitionerId, UUID practiceId) {
        StoredPractitioner practitioner = em.find(StoredPractitioner.class, practitionerId);
        if (practitioner != null
                && practiceId != null
                && !practitioner.practiceIds.contains(practiceId)) {
            practitioner.practiceIds.add(practiceId);
        }
    }

    private PracticeView view(Practice p) {
        return new PracticeView(
                p.id,
                p.name,
                p.timeZone == null ? config.defaultTimeZone() : ZoneId.of(p.timeZone),
                p.replyWindowDays);
    }

    private static PatientView view(StoredPatient p) {
        return new PatientView(
                p.id,
                p.practiceId,
                p.displayName,
                p.birthDate,
                p.testPatient,
                p.replacedById,
                p.active);
    }

    private static PractitionerView view(StoredPractitioner p) {
        return new PractitionerView(
                p.id, p.displayName, p.npi, Set.copyOf(p.practiceIds), p.active);
    }

    private static PoolView view(StoredCareTeam c) {
        return new PoolView(
                c.id, c.practiceId, c.name, Set.copyOf(c.memberIds), "active".equals(c.status));
    }

    private static LocationView view(StoredLocation l) {
        return new LocationView(l.id, l.practiceId, l.name, l.cehrtEquipped, l.county, l.state);
    }

    private static ProxyView view(StoredRelatedPerson r) {
        return new ProxyView(
                r.id,
                r.patientId,
                r.displayName,
                r.relationship,
                r.periodStart,
                r.periodEnd,
                r.active);
    }
}
