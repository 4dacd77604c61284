package dev.bluepost.triage;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words triage puts into a practice's texts for their placeholders ({@code {after-hours}},
 * {@code {next-opening}}, {@code {emergency-help}}), in the patient's language. Spanish is in
 * {@code messages/replies_es.properties}.
 */
@MessageBundle(value = "replies", locale = "en")
public interface ReplyMessages {

    @Message("now")
    String now();

    @Message("The office is closed now; we open again {when}.")
    String after_hours(String when);

    @Message("Call 911 or go to the nearest emergency room now.")
    String emergency_911();

    @Message("Call or text 988 (Suicide & Crisis Lifeline) now, or call 911.")
    String emergency_988();
}
