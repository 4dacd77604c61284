package dev.bluepost.triage.rules;

import java.util.Optional;

/**
 * What the rules may look at for one patient message. Held in memory only while the rules run:
 * the text is never logged, stored or put on Kafka by the engine.
 *
 * @param text             the decrypted message text
 * @param category         message-category code of the message
 * @param priority         current priority of its queue item
 * @param senderKind       PATIENT or PROXY (rules never see other senders)
 * @param pool             name of the pool the item is queued in (empty if a person)
 * @param openNow          the practice is open (business hours, not a holiday) when it arrived
 * @param firstEver        the patient's first secure message ever
 * @param hasAttachment    it carries a file
 * @param redFlag          the red-flag code the text raises, if any
 */
public record Facts(
        String text,
        String category,
        String priority,
        String senderKind,
        String pool,
        boolean openNow,
        boolean firstEver,
        boolean hasAttachment,
        Optional<String> redFlag) {

    /** The text as the word conditions see it: lower case, accents folded, typographic apostrophes plain. */
    public String normalizedText() {
        return Text.normalize(text);
    }
}
