package dev.bluepost.triage;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.triage.rules.Action;
import dev.bluepost.triage.rules.Rule;
import dev.bluepost.triage.rules.RuleEngine;
import dev.bluepost.triage.rules.RuleParser;
import dev.bluepost.triage.rules.RuleSyntaxException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A practice's triage rules and reply templates: ordered, versioned (an edit adds a version and
 * keeps the old one), checked before they are saved (a rule that does not parse, names an unknown
 * pool or template, or could loop is refused with the reason, and nothing is written).
 */
@ApplicationScoped
public class RuleService {

    private final EntityManager em;
    private final DirectoryService directory;
    private final TriageSetup setup;
    private final AuditRecorder audit;
    private final Clock clock;

    public RuleService(
            EntityManager em,
            DirectoryService directory,
            TriageSetup setup,
            AuditRecorder audit,
            Clock clock) {
        this.em = em;
        this.directory = directory;
        this.setup = setup;
        this.audit = audit;
        this.clock = clock;
    }

    /** A rule version as pages show it. */
    public record RuleView(
            UUID id,
            UUID key,
            int version,
            String name,
            int position,
            boolean enabled,
            boolean current,
            String definition,
            Instant createdAt,
            String createdBy) {}

    /**
     * A text of the practice: an automatic reply's text ({@code automatic}: only rules send it) or
     * a reply template for staff (console replies, macros, batch replies).
     */
    public record TemplateView(
            UUID id, String name, String body, boolean automatic, String bodyEs) {

        /** Whether the practice wrote the text in Spanish too (else everyone gets the English one). */
        public boolean hasSpanish() {
            return bodyEs != null && !bodyEs.isBlank();
        }

        /** The text in a language ("en", "es"): the Spanish one when the practice wrote it, else the English. */
        public String body(String language) {
            return "es".equals(language) && hasSpanish() ? bodyEs : body;
        }
    }

    /**
     * One line of a message's execution log: {@code detail} in English, {@code steps} its codes and values
     * (empty on a line written before they were kept).
     */
    public record ExecutionView(
            String ruleName,
            Integer ruleVersion,
            String outcome,
            String detail,
            List<LogStep> steps,
            Instant at) {}

    // ---------------------------------------------------------------- rules

    @Transactional
    public List<RuleView> rules(UUID practiceId) {
        setup.ensureDefaults(practiceId);
        return em
                .createQuery(
                        "from TriageRule where practiceId = :p and current = true order by position, createdAt",
                        TriageRule.class)
                .setParameter("p", practiceId)
                .getResultList()
                .stream()
                .map(RuleService::view)
                .toList();
    }

    /** Every version of one rule, newest first. */
    @Transactional
    public List<RuleView> history(UUID practiceId, UUID key) {
        List<RuleView> versions =
                em
                        .createQuery(
                                "from TriageRule where practiceId = :p and ruleKey = :k order by version desc",
                                TriageRule.class)
                        .setParameter("p", practiceId)
                        .setParameter("k", key)
                        .getResultList()
                        .stream()
                        .map(RuleService::view)
                        .toList();
        if (versions.isEmpty()) {
            throw BluepostException.notFound("Rule", key);
        }
        return versions;
    }

    @Transactional
    public RuleView rule(UUID practiceId, UUID key) {
        return view(current(practiceId, key));
    }

    /** The enabled current rules, parsed, in order (what runs on a message). */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<RuleEngine.Compiled> compiled(UUID practiceId) {
        List<RuleEngine.Compiled> compiled = new ArrayList<>();
        for (TriageRule r :
                em.createQuery(
                                "from TriageRule where practiceId = :p and current = true and enabled = true "
                                        + "order by position, createdAt",
                                TriageRule.class)
                        .setParameter("p", practiceId)
                        .getResultList()) {
            try {
                compiled.add(
                        new RuleEngine.Compiled(
                                r.id,
                                r.ruleKey,
                                r.version,
                                r.name,
                                RuleParser.parse(r.definition)));
            } catch (RuleSyntaxException e) {
                // saved rules were checked; a rule the language no longer accepts is skipped, never
                // half-run
                Log.warnf("triage rule skipped ruleId=%s: no longer parses", r.id);
            }
        }
        return compiled;
    }

    /** Creates a rule (key null) or a new version of one; last in order when new. */
    @Transactional
    public RuleView save(
            UUID practiceId,
            UUID key,
            String name,
            String definition,
            boolean enabled,
            Actor actor) {
        String cleanName = name == null ? "" : name.strip();
        if (cleanName.isEmpty() || cleanName.length() > 120) {
            throw Refused.rule(TriageRefusals::rule_name).about("name");
        }
        check(practiceId, definition);
        TriageRule previous = key == null ? null : current(practiceId, key);
        TriageRule r = new TriageRule();
        r.id = Ids.newId();
        r.practiceId = practiceId;
        r.ruleKey = previous == null ? Ids.newId() : previous.ruleKey;
        r.version = previous == null ? 1 : previous.version + 1;
        r.name = cleanName;
        r.definition = definition.strip();
        r.enabled = enabled;
        r.current = true;
        r.createdAt = clock.instant();
        r.createdBy = actor.logId();
        if (previous == null) {
            Integer last =
                    em.createQuery(
                                    "select max(position) from TriageRule where practiceId = :p and current = true",
                                    Integer.class)
                            .setParameter("p", practiceId)
                            .getSingleResult();
            r.position = last == null ? 10 : last + 10;
        } else {
            previous.current = false;
            r.position = previous.position;
            em.flush();
        }
        em.persist(r);
        audit.record(
                actor,
                AuditEntry.of(previous == null ? AuditAction.CREATE : AuditAction.UPDATE)
                        .on("TriageRule", r.ruleKey)
                        .practice(practiceId));
        Log.infof(
                "triage rule saved ruleKey=%s version=%d by=%s",
                r.ruleKey, r.version, actor.logId());
        return view(r);
    }

    /** Turns a rule on or off (a new version, like any edit). */
    @Transactional
    public RuleView setEnabled(UUID practiceId, UUID key, boolean enabled, Actor actor) {
        TriageRule r = current(practiceId, key);
        return r.enabled == enabled
                ? view(r)
                : save(practiceId, key, r.name, r.definition, enabled, actor);
    }

    /** Moves a rule one place up (-1) or down (+1) in the order. */
    @Transactional
    public void move(UUID practiceId, UUID key, int direction, Actor actor) {
        List<TriageRule> ordered =
                em.createQuery(
                                "from TriageRule where practiceId = :p and current = true order by position, createdAt",
                                TriageRule.class)
                        .setParameter("p", practiceId)
                        .getResultList();
        int index = -1;
        for (int i = 0; i < ordered.size(); i++) {
            if (ordered.get(i).ruleKey.equals(key)) {
                index = i;
            }
        }
        if (index < 0) {
            throw BluepostException.notFound("Rule", key);
        }
        int other = index + (direction < 0 ? -1 : 1);
        if (other < 0 || other >= ordered.size()) {
            return;
        }
        TriageRule a = ordered.get(index);
        ordered.set(index, ordered.get(other));
        ordered.set(other, a);
        for (int i = 0; i < ordered.size(); i++) {
            ordered.get(i).position = (i + 1) * 10;
        }
        audit.record(
                actor,
                AuditEntry.of(AuditAction.UPDATE).on("TriageRule", key).practice(practiceId));
    }

    /** Parses the rule and checks what it names against the practice; throws a 422 with the reason. */
    @Transactional
    public Rule check(UUID practiceId, String definition) {
        Rule rule;
        try {
            rule = RuleParser.parse(definition);
        } catch (RuleSyntaxException e) {
            throw Refused.rule(m -> m.rule_not_saved(RuleSyntaxWords.text(e, m)))
                    .about("definition");
        }
        List<TemplateView> texts = allTemplates(practiceId);
        for (Action action : rule.actions()) {
            if (action instanceof Action.Reply reply) {
                Optional<TemplateView> text =
                        texts.stream()
                                .filter(t -> t.name().equalsIgnoreCase(reply.template()))
                                .findFirst();
                if (text.isEmpty()) {
                    throw Refused.rule(m -> m.rule_not_saved(m.rule_no_text(reply.template())))
                            .about("definition");
                }
                if (!text.get().automatic()) {
                    throw Refused.rule(
                                    m -> m.rule_not_saved(m.rule_staff_template(reply.template())))
                            .about("definition");
                }
            }
            if (action instanceof Action.RouteTo route
                    && directory.poolsOfPractice(practiceId).stream()
                            .noneMatch(p -> p.name().equalsIgnoreCase(route.pool()))) {
                throw Refused.rule(m -> m.rule_not_saved(m.rule_no_pool(route.pool())))
                        .about("definition");
            }
            if (action instanceof Action.AssignTo assign
                    && directory
                            .practitioner(assign.practitionerId())
                            .filter(p -> p.practiceIds().contains(practiceId))
                            .isEmpty()) {
                throw Refused.rule(
                                m ->
                                        m.rule_not_saved(
                                                m.rule_not_practitioner(
                                                        "Practitioner/" + assign.practitionerId())))
                        .about("definition");
            }
        }
        return rule;
    }

    private TriageRule current(UUID practiceId, UUID key) {
        return em.createQuery(
                        "from TriageRule where practiceId = :p and ruleKey = :k and current = true",
                        TriageRule.class)
                .setParameter("p", practiceId)
                .setParameter("k", key)
                .getResultStream()
                .findFirst()
                .orElseThrow(() -> BluepostException.notFound("Rule", key));
    }

    static RuleView view(TriageRule r) {
        return new RuleView(
                r.id,
                r.ruleKey,
                r.version,
                r.name,
                r.position,
                r.enabled,
                r.current,
                r.definition,
                r.createdAt,
                r.createdBy);
    }

    // ---------------------------------------------------------------- templates

    /** The reply templates staff answer with (console, macros, batch replies); never the automatic replies' texts. */
    @Transactional
    public List<TemplateView> templates(UUID practiceId) {
        return allTemplates(practiceId).stream().filter(t -> !t.automatic()).toList();
    }

    /** The automatic replies' texts, which rules send. */
    @Transactional
    public List<TemplateView> automaticTexts(UUID practiceId) {
        return allTemplates(practiceId).stream().filter(TemplateView::automatic).toList();
    }

    /** Both kinds, by name (the admin page). */
    @Transactional
    public List<TemplateView> allTemplates(UUID practiceId) {
        setup.ensureDefaults(practiceId);
        return em
                .createQuery(
                        "from ReplyTemplate where practiceId = :p order by lower(name)",
                        ReplyTemplate.class)
                .setParameter("p", practiceId)
                .getResultList()
                .stream()
                .map(RuleService::view)
                .toList();
    }

    /** A text of either kind by name. */
    @Transactional
    public Optional<TemplateView> template(UUID practiceId, String name) {
        return em.createQuery(
                        "from ReplyTemplate where practiceId = :p and lower(name) = lower(:n)",
                        ReplyTemplate.class)
                .setParameter("p", practiceId)
                .setParameter("n", name == null ? "" : name.strip())
                .getResultStream()
                .findFirst()
                .map(RuleService::view);
    }

    /** A staff reply template by id (an automatic reply's text is not one). */
    @Transactional
    public Optional<TemplateView> template(UUID practiceId, UUID id) {
        return Optional.ofNullable(em.find(ReplyTemplate.class, id))
                .filter(t -> t.practiceId.equals(practiceId))
                .map(RuleService::view)
                .filter(t -> !t.automatic());
    }

    /**
     * Creates or replaces a text by name: an automatic reply's text ({@code automatic}) or a staff
     * reply template. A name belongs to one kind.
     */
    @Transactional
    public TemplateView saveTemplate(
            UUID practiceId, String name, String body, boolean automatic, Actor actor) {
        return saveTemplate(practiceId, name, body, null, automatic, actor);
    }

    /** As {@link #saveTemplate(UUID, String, String, boolean, Actor)}, with the text in Spanish ({@code bodyEs}; blank: none). */
    @Transactional
    public TemplateView saveTemplate(
            UUID practiceId,
            String name,
            String body,
            String bodyEs,
            boolean automatic,
            Actor actor) {
        String cleanName = name == null ? "" : name.strip();
        if (cleanName.isEmpty() || cleanName.length() > 80 || cleanName.contains("\"")) {
            throw Refused.rule(TriageRefusals::template_name).about("name");
        }
        if (body == null || body.isBlank() || body.length() > 5000) {
            throw Refused.rule(TriageRefusals::template_body).about("body");
        }
        String unknown = Templates.unknownPlaceholder(body);
        if (unknown != null) {
            throw Refused.rule(
                            m ->
                                    m.template_placeholder(
                                            "{" + unknown + "}",
                                            String.join(", ", Templates.PLACEHOLDERS)))
                    .about("body");
        }
        String spanish = bodyEs == null || bodyEs.isBlank() ? null : bodyEs.strip();
        if (spanish != null && spanish.length() > 5000) {
            throw Refused.rule(TriageRefusals::template_spanish_body).about("bodyEs");
        }
        String unknownEs = spanish == null ? null : Templates.unknownPlaceholder(spanish);
        if (unknownEs != null) {
            throw Refused.rule(
                            m ->
                                    m.template_spanish_placeholder(
                                            "{" + unknownEs + "}",
                                            String.join(", ", Templates.PLACEHOLDERS)))
                    .about("bodyEs");
        }
        ReplyTemplate t =
                em.createQuery(
                                "from ReplyTemplate where practiceId = :p and lower(name) = lower(:n)",
                                ReplyTemplate.class)
                        .setParameter("p", practiceId)
                        .setParameter("n", cleanName)
                        .getResultStream()
                        .findFirst()
                        .orElse(null);
        String kind = automatic ? ReplyTemplate.AUTOMATIC : ReplyTemplate.STAFF;
        if (t != null && !t.kind.equals(kind)) {
            String taken = t.name;
            throw Refused.rule(
                            m ->
                                    automatic
                                            ? m.template_is_staff(taken)
                                            : m.template_is_automatic(taken))
                    .about("name");
        }
        Instant now = clock.instant();
        boolean created = t == null;
        if (created) {
            t = new ReplyTemplate();
            t.id = Ids.newId();
            t.practiceId = practiceId;
            t.name = cleanName;
            t.kind = kind;
            t.createdAt = now;
        }
        t.body = body.strip();
        t.bodyEs = spanish;
        t.updatedAt = now;
        if (created) {
            em.persist(t); // complete: the insert is taken as it stands now
        }
        audit.record(
                actor,
                AuditEntry.of(AuditAction.UPDATE).on("ReplyTemplate", t.id).practice(practiceId));
        return view(t);
    }

    private static TemplateView view(ReplyTemplate t) {
        return new TemplateView(
                t.id, t.name, t.body, ReplyTemplate.AUTOMATIC.equals(t.kind), t.bodyEs);
    }

    // ---------------------------------------------------------------- execution log

    @Transactional
    public List<ExecutionView> executions(UUID messageId) {
        return em
                .createQuery(
                        "from RuleExecution where messageId = :m order by createdAt, id",
                        RuleExecution.class)
                .setParameter("m", messageId)
                .getResultList()
                .stream()
                .map(
                        e ->
                                new ExecutionView(
                                        e.ruleName,
                                        e.ruleVersion,
                                        e.outcome,
                                        e.detail,
                                        LogStep.decode(e.detailSteps),
                                        e.createdAt))
                .toList();
    }
}
