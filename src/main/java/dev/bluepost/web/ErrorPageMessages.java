package dev.bluepost.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The friendly error page's words in English ({@code {errorpage:…}}); Spanish in
 * {@code messages/errorpage_es.properties}. A title and a sentence per kind of failure.
 */
@MessageBundle(value = "errorpage", locale = "en")
public interface ErrorPageMessages {

    @Message("Something in the request was not right")
    String title_malformed();

    @Message("Check what you entered and try again. If you followed a link, it may be incomplete.")
    String text_malformed();

    @Message("Not allowed")
    String title_forbidden();

    @Message(
            "Your login does not give access to this page. If you think it should, contact the practice.")
    String text_forbidden();

    @Message("Not found")
    String title_not_found();

    @Message("There is nothing at this address, or it is no longer available to you.")
    String text_not_found();

    @Message("That could not be done")
    String title_conflict();

    @Message(
            "Someone may have changed the same thing at the same time. Go back, reload the page and try again.")
    String text_conflict();

    @Message("That file or text is too large")
    String title_too_large();

    @Message("Send a smaller file or a shorter text.")
    String text_too_large();

    @Message("That could not be done")
    String title_business_rule();

    @Message("Go back, check what you entered and try again.")
    String text_business_rule();

    @Message("Too many attempts")
    String title_too_many();

    @Message("Wait a moment, then try again.")
    String text_too_many();

    @Message("Something went wrong on our side")
    String title_internal();

    @Message(
            "Nothing you did caused this. Try again in a moment; if it keeps happening, contact the practice.")
    String text_internal();

    @Message("Service unavailable")
    String title_unavailable();

    @Message(
            "Bluepost is briefly unavailable. Nothing you sent is lost. Try again in a few minutes.")
    String text_unavailable();

    @Message("What happened")
    String detail_heading();

    @Message("Error {status}. If you contact support, give them this reference: {requestId}")
    String reference(int status, String requestId);

    @Message("Back to your start page")
    String back();

    @Message("Not for emergencies: call 911, or 988 for a mental health crisis.")
    String footer_emergency();
}
