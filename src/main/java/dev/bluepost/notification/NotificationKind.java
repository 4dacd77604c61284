package dev.bluepost.notification;

/** The notices Bluepost e-mails; each has a fixed subject line and its own template. */
public enum NotificationKind {
    /** A new message is waiting. */
    NEW_MESSAGE("You have a new secure message"),
    /** The daily digest: how many new messages arrived. */
    DIGEST("You have new secure messages"),
    /** A message from the care team has not been opened for some days. */
    UNREAD_REMINDER("Reminder: you have an unread secure message");

    private final String subject;

    NotificationKind(String subject) {
        this.subject = subject;
    }

    /** The subject line: a constant, never built from data. */
    public String subject() {
        return subject;
    }
}
