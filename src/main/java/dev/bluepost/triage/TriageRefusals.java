package dev.bluepost.triage;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * What triage says when it refuses something a person asked for on a page (a rule, a template, the
 * hours, an SLA target, a claim, a batch reply, a note), in English: {@code BluepostException.said} with
 * these messages, so that pages show them in the reader's language and the APIs and the log keep this
 * English. The rule language's own problems are {@link RuleSyntaxWords}. Spanish is in
 * {@code messages/triage_es.properties}.
 */
@MessageBundle(value = "triage", locale = "en")
public interface TriageRefusals {

    // ---- rules
    @Message("Give the rule a name of at most 120 characters.")
    String rule_name();

    @Message("The rule was not saved. {why}")
    String rule_not_saved(String why);

    @Message("There is no automatic reply text \"{name}\"; create it first.")
    String rule_no_text(String name);

    @Message(
            "\"{name}\" is a reply template for staff, signed by a person; a rule sends automatic reply texts only.")
    String rule_staff_template(String name);

    @Message("The practice has no pool \"{name}\".")
    String rule_no_pool(String name);

    @Message("{practitioner} does not work for the practice.")
    String rule_not_practitioner(String practitioner);

    @Message("A dry run looks at 1 to 500 messages.")
    String dry_run_count();

    // ---- the rule language (RuleSyntaxException.Problem)
    @Message("Line {line}: {what}.")
    String syntax_line(int line, String what);

    @Message("The rule is empty: write at least \"when message received\" and one \"then\" line.")
    String syntax_empty();

    @Message("The rule is longer than {max} characters.")
    String syntax_too_long(String max);

    @Message("The rule has no \"when\" line (write \"when message received\").")
    String syntax_no_when();

    @Message("The rule does nothing: add a \"then\" line or \"stop\".")
    String syntax_does_nothing();

    @Message("a rule has one \"when\" line")
    String syntax_one_when();

    @Message("expected a line starting with when, if, then, match, cooldown or stop")
    String syntax_unknown_line();

    @Message(
            "rules act on messages from patients and proxies only (\"sender is patient\" or \"proxy\"); a rule triggered by {sender} messages could answer its own replies and loop")
    String syntax_sender_loop(String sender);

    @Message("name a sender: patient or proxy")
    String syntax_no_sender();

    @Message("\"text matches\" takes one quoted pattern of at most {max} characters")
    String syntax_one_pattern(String max);

    @Message("the pattern is not a valid regular expression ({problem})")
    String syntax_bad_pattern(String problem);

    @Message(
            "unknown condition; expected category is, priority is, sender is, pool is, text contains, text matches, text has red flag, outside business hours, within business hours, first message ever or has attachment")
    String syntax_unknown_condition();

    @Message("set one priority")
    String syntax_one_priority();

    @Message("set one category")
    String syntax_one_category();

    @Message("\"assign to Practitioner/<id>\" needs a practitioner id")
    String syntax_assign_id();

    @Message("a tag is one word of letters, digits and dashes (at most 40)")
    String syntax_tag_format();

    @Message(
            "write \"set due-by in N business days\", \"N business hours\" or \"N minutes\" (N at least 1)")
    String syntax_due_format();

    @Message("write reply \"Template name\" (optionally followed by after N minutes)")
    String syntax_reply_format();

    @Message("after the template name only \"after N minutes\" may follow")
    String syntax_reply_after();

    @Message("a reply can wait at most 24 hours")
    String syntax_reply_wait();

    @Message(
            "unknown action; expected set priority, set category, route to, assign to, tag, escalate, set due-by in or reply")
    String syntax_unknown_action();

    @Message("'{code}' is not a priority (one of {choices})")
    String syntax_not_a_priority(String code, String choices);

    @Message("'{code}' is not a category (one of {choices})")
    String syntax_not_a_category(String code, String choices);

    @Message("name a priority")
    String syntax_no_priority();

    @Message("name a category")
    String syntax_no_category();

    @Message("put each word or phrase in double quotes, separated by commas")
    String syntax_quotes();

    @Message("name one, in double quotes")
    String syntax_name_one();

    @Message(
            "write \"cooldown once per thread\" or a time after which the rule may reply in the same thread again, as N minutes, N hours or N days")
    String syntax_cooldown_format();

    @Message(
            "a cooldown of 0 would let the rule reply to every message of a thread; use at least 1 minute, or once per thread")
    String syntax_cooldown_zero();

    @Message("write a duration as N minutes, N hours or N days")
    String syntax_duration_format();

    @Message("the number of days is 1 to 365")
    String syntax_days_range();

    @Message(
            "the event must be \"when message received\", \"when no staff reply by due-by\" or \"when patient has not read a reply in N days\"")
    String syntax_unknown_event();

    // ---- texts (reply templates and automatic replies)
    @Message("Give the template a name of at most 80 characters, without double quotes.")
    String template_name();

    @Message("Write the template's text (at most 5,000 characters).")
    String template_body();

    @Message("The template uses {placeholder}, which is not a placeholder; use {placeholders}.")
    String template_placeholder(String placeholder, String placeholders);

    @Message("Write the Spanish text in at most 5,000 characters.")
    String template_spanish_body();

    @Message(
            "The Spanish text uses {placeholder}, which is not a placeholder; use {placeholders} (the same names in both languages).")
    String template_spanish_placeholder(String placeholder, String placeholders);

    @Message("\"{name}\" is already a reply template for staff; give this one another name.")
    String template_is_staff(String name);

    @Message("\"{name}\" is already an automatic reply's text; give this one another name.")
    String template_is_automatic(String name);

    @Message("Choose who sends the text: staff, or the rules automatically.")
    String template_kind();

    // ---- hours, holidays and response-time targets
    @Message("Opening time must be before closing time.")
    String hours_order();

    @Message("Choose at least one open day.")
    String hours_no_day();

    @Message("Choose open days from Monday to Sunday.")
    String hours_days();

    @Message("Give times as HH:MM, e.g. 08:00.")
    String hours_time();

    @Message("Give the holiday's date (YYYY-MM-DD).")
    String holiday_no_date();

    @Message("Give the holiday's date as YYYY-MM-DD.")
    String holiday_date();

    @Message("A holiday's name has at most 100 characters.")
    String holiday_name();

    @Message("Give times as whole business minutes.")
    String sla_minutes();

    @Message("Priority must be routine, urgent, asap or stat (or any).")
    String sla_priority();

    @Message("Response times are 1 to 100,000 business minutes.")
    String sla_times();

    @Message("The warning comes before the breach: 0 to fewer minutes than the first response.")
    String sla_warning();

    @Message("Choose a pool of the practice.")
    String sla_pool();

    @Message("Your login belongs to no practice.")
    String no_practice();

    // ---- the queue
    @Message("{holder} already claimed this message; ask them, or reassign it.")
    String claimed(String holder);

    @Message("Someone else")
    String someone_else();

    @Message("Only the person holding a message releases it; {holder} holds it.")
    String release_held(String holder);

    @Message("Only the person holding a message releases it; nobody holds it.")
    String release_nobody();

    @Message("The practice has no pool.")
    String no_pool();

    @Message("This message is already completed.")
    String already_completed();

    @Message("This message is already cancelled.")
    String already_cancelled();

    @Message("This message is already {status}.")
    String already(String status);

    @Message("Your login is not linked to a practitioner record, so it cannot hold messages.")
    String cannot_hold();

    @Message("Your login is not linked to a practitioner record, so it cannot sign messages.")
    String cannot_sign();

    @Message("Your login is not linked to a practitioner record, so it cannot be assigned items.")
    String cannot_be_assigned();

    @Message(
            "Task.owner must be a CareTeam or Practitioner of the item's practice; {owner} is not.")
    String owner_not_of_practice(String owner);

    @Message("Choose a pool or a person to assign the message to.")
    String choose_owner();

    // ---- replies, macros, notes, routing
    @Message("Select the messages to answer.")
    String batch_none();

    @Message("A batch answers at most {max} messages.")
    String batch_too_many(int max);

    @Message("Choose a template.")
    String choose_template();

    @Message("Choose what the macro does after its reply.")
    String macro_after();

    @Message("Unknown message")
    String batch_unknown_message();

    @Message("This message is not in your practice's queue.")
    String batch_not_in_queue();

    @Message("The reply could not be sent; try it again from the message.")
    String batch_not_sent();

    @Message("Write the note.")
    String note_empty();

    @Message("A note has at most 5,000 characters.")
    String note_too_long();

    @Message("Choose a provider of the practice.")
    String route_provider();

    @Message("Nothing in this conversation is waiting for an answer.")
    String route_nothing_open();
}
