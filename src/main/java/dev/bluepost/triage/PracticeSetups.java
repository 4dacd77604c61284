package dev.bluepost.triage;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PoolView;
import dev.bluepost.platform.BusinessCalendar.OfficeHours;
import dev.bluepost.platform.db.PerTransaction;
import dev.bluepost.platform.db.TxJdbc;
import dev.bluepost.triage.rules.RuleEngine.Compiled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What triage reads of a practice for every message — its rules, templates, hours and holidays,
 * SLA targets, pools, automatic-message Device and on-call pool, name and time zone — kept in
 * memory per practice and checked against {@code practice_config_version} (one primary-key read):
 * a change committed by any transaction, on any instance, bumps that version through database
 * triggers, and the next message reloads the practice's setup (docs/adr/0032-message-path-under-load.md).
 */
@ApplicationScoped
public class PracticeSetups {

    /**
     * One practice's triage configuration at one version. {@code templates} are its automatic reply
     * texts, by lower-cased name (the texts rules send; staff templates are not here). {@code deviceId}
     * and {@code onCallPoolId} are null until first needed ({@link #deviceId(Setup)}, {@link #onCallPool(Setup)} create them).
     */
    public record Setup(
            UUID practiceId,
            long version,
            String practiceName,
            ZoneId zone,
            OfficeHours hours,
            List<Compiled> rules,
            Map<String, RuleService.TemplateView> templates,
            List<PoolView> pools,
            List<SlaTarget> slaTargets,
            UUID deviceId,
            UUID onCallPoolId) {

        /** The rules that run when a patient's message arrives, in order. */
        public List<Compiled> messageRules() {
            return rules.stream().filter(c -> c.rule().onMessage()).toList();
        }

        public Optional<RuleService.TemplateView> template(String name) {
            return Optional.ofNullable(
                    name == null ? null : templates.get(name.strip().toLowerCase(Locale.ROOT)));
        }

        public Optional<PoolView> pool(UUID id) {
            return pools.stream().filter(p -> p.id().equals(id)).findFirst();
        }

        public Optional<PoolView> poolNamed(String name) {
            return pools.stream().filter(p -> p.name().equalsIgnoreCase(name)).findFirst();
        }

        public String poolName(UUID id) {
            return id == null ? "" : pool(id).map(PoolView::name).orElse("");
        }
    }

    private final EntityManager em;
    private final TriageSetup setup;
    private final RuleService rules;
    private final DirectoryService directory;
    private final TransactionSynchronizationRegistry transactions;
    private final Map<UUID, Setup> cache = new ConcurrentHashMap<>();

    public PracticeSetups(
            EntityManager em,
            TriageSetup setup,
            RuleService rules,
            DirectoryService directory,
            TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
        this.em = em;
        this.setup = setup;
        this.rules = rules;
        this.directory = directory;
    }

    /**
     * The practice's setup as of now, in the caller's transaction. The first call for a practice
     * installs its defaults, Device and on-call pool (as before); later calls read one version number.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Setup of(UUID practiceId) {
        // asked several times per message (its promise, its rules, its reply): the version is read
        // once per transaction
        return PerTransaction.once(
                transactions, new SetupKey(practiceId), () -> current(practiceId));
    }

    private Setup current(UUID practiceId) {
        long version = version(practiceId);
        Setup cached = cache.get(practiceId);
        if (cached == null || cached.version() != version) {
            cached = load(practiceId);
            cache.put(practiceId, cached);
        }
        return cached;
    }

    /** The key of a practice's setup among the transaction's resources. */
    private record SetupKey(UUID practiceId) {}

    private Setup load(UUID practiceId) {
        setup.ensureDefaults(practiceId);
        em.flush(); // what this transaction installed bumps the version before it is read
        long version = version(practiceId);
        TriagePractice settings = em.find(TriagePractice.class, practiceId);
        // created on first use (TriageSetup.deviceId / onCallPool), as before; a deleted one is not
        // offered
        UUID device =
                settings == null
                                || settings.deviceId == null
                                || !directory.deviceExists(settings.deviceId)
                        ? null
                        : settings.deviceId;
        UUID onCall =
                settings == null
                                || settings.onCallPoolId == null
                                || directory.pool(settings.onCallPoolId).isEmpty()
                        ? null
                        : settings.onCallPoolId;
        var practice = directory.practice(practiceId);
        Map<String, RuleService.TemplateView> templates =
                rules.automaticTexts(practiceId).stream()
                        .collect(
                                Collectors.toUnmodifiableMap(
                                        t -> t.name().strip().toLowerCase(Locale.ROOT),
                                        Function.identity(),
                                        (a, b) -> a));
        List<SlaTarget> targets =
                em.createQuery("from SlaTarget where practiceId = :p", SlaTarget.class)
                        .setParameter("p", practiceId)
                        .getResultList();
        targets.forEach(em::detach);
        return new Setup(
                practiceId,
                version,
                practice.map(p -> p.name()).orElse(""),
                directory.zoneOf(practiceId),
                setup.hours(practiceId),
                List.copyOf(rules.compiled(practiceId)),
                templates,
                List.copyOf(directory.poolsOfPractice(practiceId)),
                List.copyOf(targets),
                device,
                onCall);
    }

    /** The Device the practice's automatic replies come from; created (and the setup reloaded later) when missing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID deviceId(Setup practice) {
        return practice.deviceId() != null
                ? practice.deviceId()
                : setup.deviceId(practice.practiceId());
    }

    /** The pool red flags escalate to; created when missing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID onCallPool(Setup practice) {
        return practice.onCallPoolId() != null
                ? practice.onCallPoolId()
                : setup.onCallPool(practice.practiceId());
    }

    private long version(UUID practiceId) {
        return TxJdbc.first(
                        em,
                        "select version from practice_config_version where practice_id = ?",
                        practiceId)
                .map(v -> ((Number) v).longValue())
                .orElse(0L);
    }
}
