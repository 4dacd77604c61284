package dev.bluepost.messaging;

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
}
