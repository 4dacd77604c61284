package dev.bluepost.messaging;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The message types in the words patients and staff read, one wording for every page (the patient's compose form
 * and inbox, the staff queue and workspace); Spanish in {@code messages/categories_es.properties}.
 * {@link MessageCategory#inWords} picks the message of a type.
 */
@MessageBundle(value = "categories", locale = "en")
public interface CategoryMessages {

    @Message("Medical question")
    String medical_question();

    @Message("Prescription refill")
    String medication_refill();

    @Message("Appointment")
    String appointment();

    @Message("Referral")
    String referral();

    @Message("Test results")
    String test_results();

    @Message("Billing")
    String billing();

    @Message("Other")
    String other();
}
