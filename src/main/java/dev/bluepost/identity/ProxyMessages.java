package dev.bluepost.identity;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the page where a family member or caregiver chooses the patient they act for.
 * {@code {proxy:…}} in templates; Spanish in {@code messages/proxy_es.properties}.
 */
@MessageBundle(value = "proxy", locale = "en")
public interface ProxyMessages {

    @Message("Choose a patient")
    String title();

    @Message("Who are you acting for?")
    String heading();

    @Message(
            "You have no authorization in force to act for a patient. If you think this is wrong, contact the practice.")
    String none();

    @Message(
            "You are authorized to act for these patients. Messages you send are recorded as sent by you on their behalf.")
    String intro();

    @Message("Patient")
    String legend();

    @Message("Born {date}")
    String born(String date);

    @Message("Continue")
    String continue_button();

    @Message("MMM d, yyyy")
    String pattern_birth_date();

    @Message("You are their {relationship}")
    String your_relationship(String relationship);

    @Message("You are not (or no longer) authorized to act for that patient.")
    String error_not_authorized();
}
