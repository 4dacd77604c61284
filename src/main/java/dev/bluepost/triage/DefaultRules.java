package dev.bluepost.triage;

import java.util.List;

/** The rules and templates every practice starts with (docs/triage.md); the practice admin may edit or disable them. */
final class DefaultRules {

    static final String EMERGENCY = "Emergency";
    static final String ACKNOWLEDGEMENT = "Acknowledgement";
    static final String AFTER_HOURS = "After hours";
    static final String REFILL_POLICY = "Refill policy";
    static final String WELCOME = "Welcome";

    static final List<String[]> TEMPLATES = List.of(
            new String[]{EMERGENCY, """
                    This is an automatic reply from {practice}. Your message may describe an emergency. \
                    Secure messages are not for emergencies: {emergency-help} \
                    We have passed your message to our on-call team."""},
            new String[]{ACKNOWLEDGEMENT, """
                    This is an automatic reply from {practice}. We received your message and will answer by {expected-by}. \
                    If your symptoms get worse, call the office or 911."""},
            new String[]{AFTER_HOURS, """
                    This is an automatic reply from {practice}. The office is closed now; we open again {next-opening} \
                    and will answer by {expected-by}. If this is an emergency, call 911; for a mental health crisis, \
                    call or text 988."""},
            new String[]{REFILL_POLICY, """
                    This is an automatic reply from {practice}. We received your refill request. Refills are \
                    processed within 2 business days (by {expected-by}); please allow your pharmacy a day more. \
                    Controlled substances need a visit."""},
            new String[]{WELCOME, """
                    Thank you for using secure messaging with {practice}, {patient}. This is an automatic reply: \
                    the care team reads messages during office hours and answers by {expected-by}. \
                    Secure messages are not for emergencies: call 911 or, for a mental health crisis, 988."""},
            new String[]{"Refill sent", """
                    Hello {patient}, your refill has been sent to your pharmacy. {staff}, {practice}"""},
            new String[]{"Appointment needed", """
                    Hello {patient}, we need to see you for this. Please call the office or reply with times that suit you. \
                    {staff}, {practice}"""});

    private DefaultRules() {
    }

    /** {name, definition} in order. */
    static List<String[]> rules(String refillsPool, int replyBusinessDays, long ackDelayMinutes) {
        return List.of(
                new String[]{"Red flags: emergency reply and on-call pool", """
                        when message received
                        if text has red flag
                        then escalate
                        then set due-by in 60 minutes
                        then tag red-flag
                        then reply "%s"
                        stop""".formatted(EMERGENCY)},
                new String[]{"Thank you for the first secure message", """
                        when message received
                        if first message ever
                        then reply "%s"
                        cooldown 3650 days""".formatted(WELCOME)},
                new String[]{"Refill requests to the %s pool".formatted(refillsPool), """
                        when message received
                        match any
                        if category is medication-refill
                        if text contains "refill", "refills", "renew my prescription", "prescription renewal", "ran out of"
                        then route to "%s"
                        then set category medication-refill
                        then set due-by in %d business days
                        then tag refill
                        then reply "%s"
                        stop""".formatted(refillsPool, replyBusinessDays, REFILL_POLICY)},
                new String[]{"After-hours reply", """
                        when message received
                        if outside business hours
                        then set due-by in %d business days
                        then reply "%s"
                        stop""".formatted(replyBusinessDays, AFTER_HOURS)},
                new String[]{"Acknowledgement with the expected reply date", """
                        when message received
                        then set due-by in %d business days
                        then reply "%s" after %d minutes""".formatted(replyBusinessDays, ACKNOWLEDGEMENT,
                        Math.max(1, ackDelayMinutes))});
    }
}
