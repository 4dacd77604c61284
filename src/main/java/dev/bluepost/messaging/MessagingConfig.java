package dev.bluepost.messaging;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "bluepost.messaging")
public interface MessagingConfig {

    /** Largest message text accepted, in UTF-8 bytes. */
    @WithDefault("65536")
    int maxTextBytes();

    /** Business days within which the care team answers (shown to the patient; the triage due-by). */
    @WithDefault("2")
    int replyBusinessDays();

    /**
     * Days after a thread's last message during which the patient may reply (a practice may set
     * its own with the Organization's reply-window-days extension). After that: a new message.
     */
    @WithDefault("45")
    int replyWindowDays();

    /** Care-team messages the patient has not opened after this many days are listed for staff and reminded. */
    @WithDefault("2")
    int unreadReminderDays();

    /**
     * How long an emergency ("break-glass") access to a patient's restricted threads lasts before
     * the clinician must open a new one (ADR 0026).
     */
    @WithDefault("PT1H")
    java.time.Duration emergencyAccessDuration();

    /** Files attached to messages. */
    Attachments attachments();

    interface Attachments {

        /** Largest single file ({@code 10M} = 10 MiB). */
        @WithDefault("10M")
        MemorySize maxBytes();

        /** Most files on one message. */
        @WithDefault("5")
        int maxCount();

        /** Largest sum of the files of one message. The HTTP body limit must leave room for it (base64 in FHIR JSON: 4/3). */
        @WithDefault("25M")
        MemorySize maxTotalBytes();
    }
}
