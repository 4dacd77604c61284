package dev.bluepost.notification;

/** The notices Bluepost e-mails; each has a fixed subject line and its own template. */
public enum NotificationKind {
    /** A new message is waiting. */
    NEW_MESSAGE("You have a new secure message"),
    /** The daily digest: how many new messages arrived. */
    DIGEST("You have new secure messages"),
    /** A message from the care team has not been opened for some days. */
    UNREAD_REMINDER("Reminder: you have an unread secure message"),
    /** To a practice's compliance officers: a clinician opened emergency ("break-glass") access. */
    EMERGENCY_ACCESS("Emergency access was used in Bluepost: please review it");

    private final String subject;

    NotificationKind(String subject) {
        this.subject = subject;
    }

    /** The subject line: a constant, never built from data. */
    public String subject() {
        return subject;
    }
}
