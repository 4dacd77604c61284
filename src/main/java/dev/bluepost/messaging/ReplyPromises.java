package dev.bluepost.messaging;

import java.time.Instant;
import java.util.UUID;

/**
 * When the care team will answer a patient's message, as the patient is told the moment it is
 * sent. The practice's calendar (opening hours, holidays, response targets, its red-flag rule)
 * belongs to triage, which implements this from the practice setup it keeps in memory; messaging
 * only asks. Triage later confirms or corrects the date with the queue item's due-by.
 */
public interface ReplyPromises {

    /**
     * The promise for a patient's message that starts waiting for an answer.
     *
     * @param queue         the pool or practitioner the message is written to
     * @param priority      the message's priority
     * @param redFlag       the text describes a possible emergency ({@link RedFlags})
     * @param firstInThread the message starts its thread (else the care team answered the thread before)
     */
    Promise promise(
            UUID practiceId,
            Party queue,
            String priority,
            Instant receivedAt,
            boolean redFlag,
            boolean firstInThread);

    /**
     * @param by     when the care team will answer
     * @param onCall the on-call team's promise, kept around the clock (also when the office is
     *               closed), rather than the office's on its opening hours
     */
    record Promise(Instant by, boolean onCall) {}
}
