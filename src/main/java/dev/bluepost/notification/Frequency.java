package dev.bluepost.notification;

/** How often a person wants to hear about new messages. */
public enum Frequency {
    /** One e-mail per new message (the default). */
    EACH_MESSAGE("Each new message", "An e-mail each time a message arrives."),
    /** One e-mail a day with the number of new messages. */
    DAILY_DIGEST("Once a day", "One e-mail each morning that says how many new messages arrived."),
    /** No e-mail at all (not even reminders). */
    NONE("Never", "No e-mails. You will see new messages when you sign in.");

    private final String label;
    private final String help;

    Frequency(String label, String help) {
        this.label = label;
        this.help = help;
    }

    public String label() {
        return label;
    }

    public String help() {
        return help;
    }
}
