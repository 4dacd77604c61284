package dev.bluepost.messaging;

/**
 * Whether the patient's side may reply in a thread, and if not, why: the page says so before the
 * Reply button would disappear ({@link ThreadPresenter#replyReason}, in {@link ThreadMessages}' words), and
 * offers a new message that carries the context forward.
 */
public enum ReplyAvailability {
    OPEN,
    CLOSED,
    WINDOW_PASSED,
    NOT_IN_CARE_TEAM;

    public boolean isOpen() {
        return this == OPEN;
    }
}
