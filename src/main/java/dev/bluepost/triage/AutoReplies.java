package dev.bluepost.triage;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.identity.IdentityService;
import dev.bluepost.messaging.MessageReading;
import dev.bluepost.messaging.MessageSending;
import dev.bluepost.messaging.RedFlags;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.db.SqlValues;
import dev.bluepost.platform.db.TxJdbc;
import dev.bluepost.platform.errors.ErrorClassifier;
import dev.bluepost.platform.i18n.Language;
import dev.bluepost.triage.rules.Cooldown;
import dev.bluepost.triage.rules.Rule;
import dev.bluepost.triage.rules.RuleParser;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Automatic replies of the rules, sent through messaging as the practice's Device (marked
 * automatic, so they never trigger rules). At most one per rule and thread (or, with a cooldown,
 * one per rule and thread within it). Delayed replies wait in {@code triage_scheduled_reply} and
 * are dropped when the care team answers the thread (or closes it) first.
 */
@ApplicationScoped
public class AutoReplies {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("EEEE, MMMM d 'at' h:mm a", Locale.US);
    private static final DateTimeFormatter WHEN_ES =
            DateTimeFormatter.ofPattern("EEEE d 'de' MMMM 'a las' H:mm", Language.SPANISH.locale());

    private final EntityManager em;
    private final MessageSending sending;
    private final MessageReading reading;
    private final DirectoryService directory;
    private final TriageSetup setup;
    private final RuleService rules;
    private final PracticeSetups setups;
    private final SlaClock sla;
    private final TriageReplyPromises promises;
    private final IdentityService identity;
    private final Clock clock;

    public AutoReplies(
            EntityManager em,
            MessageSending sending,
            MessageReading reading,
            DirectoryService directory,
            TriageSetup setup,
            RuleService rules,
            PracticeSetups setups,
            SlaClock sla,
            TriageReplyPromises promises,
            IdentityService identity,
            Clock clock) {
        this.identity = identity;
        this.setups = setups;
        this.sla = sla;
        this.promises = promises;
        this.em = em;
        this.sending = sending;
        this.reading = reading;
        this.directory = directory;
        this.setup = setup;
        this.rules = rules;
        this.clock = clock;
    }

    /**
     * Sends the template now unless this rule already replied in the thread (once per thread, or
     * within its cooldown).
     * Returns what happened, for the execution log.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public LogStep sendNow(
            TriageItem item,
            UUID ruleKey,
            Cooldown cooldown,
            String templateName,
            Optional<RedFlags.Flag> flag,
            PracticeSetups.Setup practice) {
        Instant now = clock.instant();
        Optional<Instant> last =
                TxJdbc.first(
                                em,
                                "select last_sent_at from triage_auto_reply where rule_key = ? and thread_id = ? "
                                        + "for update",
                                ruleKey,
                                item.threadId)
                        .map(SqlValues::instant);
        if (last.isPresent() && !cooldown.allowsAnother(last.get(), now)) {
            return LogStep.of(LogStep.Step.REPLY_COOLDOWN, templateName, cooldown.describe());
        }
        Optional<RuleService.TemplateView> template = practice.template(templateName);
        if (template.isEmpty()) {
            return LogStep.of(LogStep.Step.REPLY_NO_TEXT, templateName);
        }
        TxJdbc.update(
                em,
                "insert into triage_auto_reply (rule_key, thread_id, last_sent_at) values (?, ?, ?) "
                        + "on conflict (rule_key, thread_id) do update set last_sent_at = excluded.last_sent_at",
                ruleKey,
                item.threadId,
                now);
        Language language = language(template.get(), item.patientId);
        String text =
                Templates.render(
                        template.get().body(language.tag()),
                        values(item, flag, null, practice, language));
        UUID device = setups.deviceId(practice);
        var sent =
                sending.sendAutomaticReply(
                        item.patientId,
                        item.threadId,
                        item.messageId,
                        device,
                        item.category,
                        text,
                        TriageSetup.SYSTEM);
        Log.debugf(
                "triage auto-reply sent messageId=%s threadId=%s ruleKey=%s",
                sent.message().id(), item.threadId, ruleKey);
        return LogStep.of(LogStep.Step.REPLY_SENT, templateName, sent.message().id());
    }

    /** Keeps a delayed reply for later. */
    @Transactional(Transactional.TxType.MANDATORY)
    public LogStep schedule(TriageItem item, UUID ruleId, String templateName, Duration delay) {
        ScheduledReply reply = new ScheduledReply();
        reply.id = Ids.newId();
        reply.practiceId = item.practiceId;
        reply.threadId = item.threadId;
        reply.messageId = item.messageId;
        reply.ruleId = ruleId;
        reply.template = templateName;
        reply.sendAt = clock.instant().plus(delay);
        reply.status = "pending";
        reply.createdAt = clock.instant();
        em.persist(reply);
        return LogStep.of(LogStep.Step.REPLY_SCHEDULED, templateName, reply.sendAt);
    }

    /**
     * Drops the thread's pending delayed replies: the care team answered it ({@code answeredBy}, their reply) or
     * closed it ({@code answeredBy} null). Each drop is logged on its message.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int dropPending(UUID threadId, UUID answeredBy) {
        List<ScheduledReply> pending =
                em.createQuery(
                                "from ScheduledReply where threadId = :t and status = 'pending'",
                                ScheduledReply.class)
                        .setParameter("t", threadId)
                        .getResultList();
        for (ScheduledReply reply : pending) {
            reply.status = "dropped";
            reply.doneAt = clock.instant();
            logOn(
                    reply,
                    answeredBy == null
                            ? LogStep.of(LogStep.Step.DROPPED_CLOSED, reply.template)
                            : LogStep.of(
                                    LogStep.Step.DROPPED_ANSWERED_BY, reply.template, answeredBy));
        }
        if (!pending.isEmpty()) {
            Log.infof(
                    "triage delayed replies dropped threadId=%s count=%d",
                    threadId, pending.size());
        }
        return pending.size();
    }

    /** Sends the delayed replies that are due, each in its own transaction; runs on every instance (rows are locked). */
    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "${bluepost.triage.scheduled-reply-interval:10s}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sendDue() {
        for (int batch = 0; batch < 20; batch++) {
            try {
                Integer handled = QuarkusTransaction.requiringNew().call(this::sendOneDue);
                if (handled == 0) {
                    return;
                }
            } catch (RuntimeException e) {
                if (ErrorClassifier.isDatabaseUnavailable(e)) {
                    return;
                }
                Log.errorf("triage delayed reply failed: %s", e.getClass().getName());
                return;
            }
        }
    }

    private int sendOneDue() {
        @SuppressWarnings("unchecked")
        List<UUID> due =
                em.createNativeQuery(
                                "select id from triage_scheduled_reply where status = 'pending' and send_at <= ?1 "
                                        + "order by send_at limit 1 for update skip locked")
                        .setParameter(1, clock.instant())
                        .getResultList();
        if (due.isEmpty()) {
            return 0;
        }
        ScheduledReply reply = em.find(ScheduledReply.class, due.get(0));
        TriageItem item =
                em.createQuery("from TriageItem where messageId = :m", TriageItem.class)
                        .setParameter("m", reply.messageId)
                        .getResultStream()
                        .findFirst()
                        .orElse(null);
        LogStep outcome;
        if (item == null
                || !TaskStatus.fromCode(item.status).map(TaskStatus::isOpen).orElse(false)
                || answered(item)) {
            reply.status = "dropped";
            outcome = LogStep.of(LogStep.Step.DROPPED_ANSWERED, reply.template);
        } else {
            TriageRule rule = em.find(TriageRule.class, reply.ruleId);
            Rule parsed = RuleParser.parse(rule.definition);
            outcome =
                    sendNow(
                            item,
                            rule.ruleKey,
                            parsed.cooldown(),
                            reply.template,
                            Optional.empty(),
                            setups.of(item.practiceId));
            reply.status = "sent";
        }
        reply.doneAt = clock.instant();
        logOn(reply, outcome);
        return 1;
    }

    private void logOn(ScheduledReply reply, LogStep step) {
        TriageRule rule = em.find(TriageRule.class, reply.ruleId);
        RuleExecution log = new RuleExecution();
        log.id = Ids.newId();
        log.practiceId = reply.practiceId;
        log.messageId = reply.messageId;
        log.threadId = reply.threadId;
        log.ruleId = reply.ruleId;
        log.ruleName = rule.name;
        log.ruleVersion = rule.version;
        log.outcome = "fired";
        log.detail = step.english();
        log.detailSteps = LogStep.encode(List.of(step));
        log.createdAt = clock.instant();
        em.persist(log);
    }

    /** Whether the care team has answered the thread or closed it since the patient wrote (messaging's own record). */
    private boolean answered(TriageItem item) {
        return reading.threadsOfPatient(item.patientId, TriageSetup.SYSTEM).stream()
                .filter(t -> t.id().equals(item.threadId))
                .findFirst()
                .map(t -> !t.awaitingReply() || !"open".equals(t.status()))
                .orElse(true);
    }

    /**
     * The language a practice's text goes to the patient in: their login's choice when the practice
     * wrote the text in Spanish too (one indexed read, only then), else English.
     */
    public Language language(RuleService.TemplateView template, UUID patientId) {
        if (!template.hasSpanish()) {
            return Language.ENGLISH;
        }
        return identity.patientLanguage(patientId)
                .flatMap(Language::fromTag)
                .orElse(Language.ENGLISH);
    }

    /** The placeholder values for a reply about this item in a language, each worked out when a template asks for it. */
    public java.util.function.Function<String, String> values(
            TriageItem item, Optional<RedFlags.Flag> flag, String staffName, Language language) {
        return values(item, flag, staffName, setups.of(item.practiceId), language);
    }

    private java.util.function.Function<String, String> values(
            TriageItem item,
            Optional<RedFlags.Flag> flag,
            String staffName,
            PracticeSetups.Setup practice,
            Language language) {
        boolean spanish = language == Language.SPANISH;
        DateTimeFormatter when = spanish ? WHEN_ES : WHEN;
        ReplyMessages words = language.messages(ReplyMessages.class);
        java.time.ZoneId zone = practice.zone();
        Instant now = clock.instant();
        Map<String, String> known = new HashMap<>();
        return name ->
                known.computeIfAbsent(
                        name,
                        placeholder ->
                                switch (placeholder) {
                                    case "practice" -> practice.practiceName();
                                    case "patient" ->
                                            directory
                                                    .patient(item.patientId)
                                                    .map(PatientView::displayName)
                                                    .orElse("");
                                    case "expected-by" -> {
                                        // the date the patient's page shows: the item's due-by (its
                                        // target's, if earlier); else what a message now is
                                        // promised
                                        Instant expected = sla.promisedDueBy(item, practice);
                                        if (expected == null) {
                                            expected =
                                                    promises.promise(
                                                                    practice,
                                                                    item.queuePoolId,
                                                                    "routine",
                                                                    now,
                                                                    false,
                                                                    true)
                                                            .by();
                                        }
                                        yield when.format(expected.atZone(zone));
                                    }
                                    case "next-opening" -> {
                                        Instant opening =
                                                setup.calendar().nextOpening(now, practice.hours());
                                        yield opening.equals(now)
                                                ? words.now()
                                                : when.format(opening.atZone(zone));
                                    }
                                    case "after-hours" -> {
                                        Instant opening =
                                                setup.calendar().nextOpening(now, practice.hours());
                                        yield opening.equals(now)
                                                ? ""
                                                : words.after_hours(
                                                        when.format(opening.atZone(zone)));
                                    }
                                    case "emergency-help" ->
                                            !spanish
                                                    ? flag.map(RedFlags.Flag::help)
                                                            .orElse(words.emergency_911())
                                                    : flag.filter(f -> f.code().equals("suicide"))
                                                                    .isPresent()
                                                            ? words.emergency_988()
                                                            : words.emergency_911();
                                    case "pool" -> practice.poolName(item.queuePoolId);
                                    case "staff" -> staffName == null ? "" : staffName;
                                    default -> "";
                                });
    }
}
