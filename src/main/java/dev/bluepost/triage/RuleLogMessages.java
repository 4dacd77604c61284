package dev.bluepost.triage;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of a message's execution log on the conversation page, and of a dry run's reasons on the rules
 * page ({@link RuleLogWords}): what the rules, delayed replies and SLA clocks did, in English. What the rule
 * language writes (conditions, actions, events) stays as written. Spanish is in
 * {@code messages/rulelog_es.properties}.
 */
@MessageBundle(value = "rulelog", locale = "en")
public interface RuleLogMessages {

    @Message("no conditions")
    String no_conditions();

    @Message("not ({condition})")
    String condition_failed(String condition);

    @Message("none of the conditions holds")
    String none_held();

    @Message("{action} not done: the pool no longer exists")
    String pool_gone(String action);

    @Message("{action} not done: the practitioner no longer works for the practice")
    String practitioner_gone(String action);

    @Message("reply \"{template}\" sent")
    String reply_sent(String template);

    @Message(
            "reply \"{template}\" not sent: this rule already replied in the thread (cooldown: {cooldown})")
    String reply_cooldown(String template, String cooldown);

    @Message("reply \"{template}\" not sent: the practice has no automatic reply text of that name")
    String reply_no_text(String template);

    @Message("reply \"{template}\" scheduled for {at} (dropped if staff answer first)")
    String reply_scheduled(String template, String at);

    @Message("\"{rule}\" stopped further rules")
    String stopped_by(String rule);

    @Message("delayed reply \"{template}\" dropped: the care team answered first")
    String dropped_answered(String template);

    @Message("delayed reply \"{template}\" dropped: the thread was closed")
    String dropped_closed(String template);

    @Message("answer due {due}; warning sent to the pool's consoles")
    String sla_warning_pool(String due);

    @Message("answer due {due}; warning sent to the assignee's consoles")
    String sla_warning_assignee(String due);

    @Message("answer was due {due} → priority {before} → {after}; escalated to the on-call pool")
    String sla_breached(String due, String before, String after);
}
