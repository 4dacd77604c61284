package dev.bluepost.notification;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.LocalTime;

/** E-mail notifications ({@code bluepost.notifications.*}); the SMTP server is {@code quarkus.mailer.*}. */
@ConfigMapping(prefix = "bluepost.notifications")
public interface NotificationConfig {

    /**
     * Where people reach Bluepost, e.g. {@code https://messages.example.org}: the start of the one
     * link every e-mail carries (to {@code /patient} or {@code /staff/queue}, never to a thread).
     */
    String publicUrl();

    Staff staff();

    /** Local time of the daily digest, in the time zone of the practice of the messages it counts. */
    @WithDefault("07:00")
    LocalTime digestTime();

    /** How often the digest and unread-reminder jobs look for work ({@code off} disables them). */
    @WithDefault("5m")
    String jobInterval();

    /** How often queued e-mails are handed to the mail server ({@code off} disables delivery). */
    @WithDefault("2s")
    String deliveryInterval();

    /** Failed hand-overs to the mail server before an e-mail is given up. */
    @WithDefault("10")
    int maxAttempts();

    /** How long records of handled e-mails are kept. */
    @WithDefault("P90D")
    Duration retention();

    interface Staff {

        /**
         * Whether staff are e-mailed about patients' messages to them or their pools. Off by
         * default: staff work the live queue.
         */
        @WithDefault("false")
        boolean enabled();
    }
}
