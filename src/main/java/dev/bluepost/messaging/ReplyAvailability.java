package dev.bluepost.messaging;

/**
 * Whether the patient's side may reply in a thread, and if not, why: the page says so before the
 * Reply button would disappear, and offers a new message that carries the context forward.
 */
public enum ReplyAvailability {
    OPEN(null),
    CLOSED("Your care team closed this conversation."),
    WINDOW_PASSED("Replies are accepted for a limited time after the last message, and that time has passed."),
    NOT_IN_CARE_TEAM("The clinician or team in this conversation is no longer part of your care team here.");

    private final String reason;

    ReplyAvailability(String reason) {
        this.reason = reason;
    }

    public boolean isOpen() {
        return this == OPEN;
    }

    /** Why Reply is not offered (null when it is). */
    public String reason() {
        return reason;
    }
}
