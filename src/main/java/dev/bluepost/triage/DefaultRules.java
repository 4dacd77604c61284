package dev.bluepost.triage;

import java.util.List;

/** The rules and templates every practice starts with (docs/triage.md); the practice admin may edit or disable them. */
final class DefaultRules {

    static final String EMERGENCY = "Emergency";
    static final String ACKNOWLEDGEMENT = "Acknowledgement";
    static final String AFTER_HOURS = "After hours";
    static final String REFILL_POLICY = "Refill policy";
    static final String WELCOME = "Welcome";
    static final String WELCOME_RULE = "Thank you for the first secure message";

    /**
     * Texts of automatic replies: the rules send them, in the practice's automatic voice; staff never pick them.
     * Each is {name, English, Spanish}; the patient gets the one in their language.
     */
    static final List<String[]> AUTOMATIC_TEXTS =
            List.of(
                    new String[] {
                        EMERGENCY,
                        """
                    This is an automatic reply from {practice}. Your message may describe an emergency. \
                    Secure messages are not for emergencies: {emergency-help} \
                    We have passed your message to our on-call team.""",
                        "Esta es una respuesta automática de {practice}. Su mensaje podría describir una emergencia. Los mensajes seguros no son para emergencias: {emergency-help} Hemos pasado su mensaje a nuestro equipo de guardia."
                    },
                    new String[] {
                        ACKNOWLEDGEMENT,
                        """
                    This is an automatic reply from {practice}. We received your message and will answer by {expected-by}. \
                    If your symptoms get worse, call the office or 911.""",
                        "Esta es una respuesta automática de {practice}. Recibimos su mensaje y le responderemos a más tardar el {expected-by}. Si sus síntomas empeoran, llame al consultorio o al 911."
                    },
                    new String[] {
                        AFTER_HOURS,
                        """
                    This is an automatic reply from {practice}. The office is closed now; we open again {next-opening} \
                    and will answer by {expected-by}. If this is an emergency, call 911; for a mental health crisis, \
                    call or text 988.""",
                        "Esta es una respuesta automática de {practice}. El consultorio está cerrado en este momento; volvemos a abrir el {next-opening} y le responderemos a más tardar el {expected-by}. Si se trata de una emergencia, llame al 911; si tiene una crisis de salud mental, llame o envíe un mensaje de texto al 988."
                    },
                    new String[] {
                        REFILL_POLICY,
                        """
                    This is an automatic reply from {practice}. We received your refill request. Refills are \
                    processed by {expected-by}; please allow your pharmacy a day more. \
                    Controlled substances need a visit.""",
                        "Esta es una respuesta automática de {practice}. Recibimos su solicitud de reposición de receta. Las reposiciones se tramitan a más tardar el {expected-by}; dele a su farmacia un día más. Los medicamentos controlados requieren una consulta."
                    },
                    new String[] {
                        WELCOME,
                        """
                    Thank you for using secure messaging with {practice}, {patient}. This is an automatic reply: \
                    we received your message, and the care team will answer by {expected-by}. {after-hours} \
                    Secure messages are not for emergencies: call 911 or, for a mental health crisis, 988.""",
                        "Gracias por usar los mensajes seguros de {practice}, {patient}. Esta es una respuesta automática: recibimos su mensaje y el equipo de atención le responderá a más tardar el {expected-by}. {after-hours} Los mensajes seguros no son para emergencias: llame al 911 o, si tiene una crisis de salud mental, al 988."
                    });

    /** Reply templates for staff: written in a person's voice and signed by whoever sends them ({name, English, Spanish}). */
    static final List<String[]> STAFF_TEMPLATES =
            List.of(
                    new String[] {
                        "Refill sent",
                        """
                    Hello {patient}, your refill has been sent to your pharmacy. {staff}, {practice}""",
                        "Hola, {patient}: su receta se envió a su farmacia. {staff}, {practice}"
                    },
                    new String[] {
                        "Appointment needed",
                        """
                    Hello {patient}, we need to see you for this. Please call the office or reply with times that suit you. \
                    {staff}, {practice}""",
                        "Hola, {patient}: necesitamos verle en consulta por esto. Llame al consultorio o responda con los días y horas que le convengan. {staff}, {practice}"
                    },
                    new String[] {
                        "Looking into it",
                        """
                    Hello {patient}, thank you for your message. We are looking into it and will get back to you by \
                    {expected-by}. {staff}, {practice}""",
                        "Hola, {patient}: gracias por su mensaje. Lo estamos revisando y le responderemos a más tardar el {expected-by}. {staff}, {practice}"
                    });

    private DefaultRules() {}

    /**
     * {name, definition} in order. A patient's first message gets at most one automatic reply: the
     * red-flag and refill rules stop before the welcome, and the welcome (which says when the office
     * opens again, when it is closed) stops before the after-hours reply and the acknowledgement.
     * Each replies once per thread, except the emergency reply: a new emergency a day later is told
     * again to call 911.
     */
    static List<String[]> rules(String refillsPool, int replyBusinessDays, long ackDelayMinutes) {
        return List.of(
                new String[] {
                    "Red flags: emergency reply and on-call pool",
                    """
                        when message received
                        if text has red flag
                        then escalate
                        then set due-by in 60 minutes
                        then tag red-flag
                        then reply "%s"
                        cooldown 24 hours
                        stop"""
                            .formatted(EMERGENCY)
                },
                new String[] {
                    "Refill requests to the %s pool".formatted(refillsPool),
                    """
                        when message received
                        match any
                        if category is medication-refill
                        if text contains "refill", "refills", "renew my prescription", "prescription renewal", "ran out of"
                        then route to "%s"
                        then set category medication-refill
                        then set due-by in %d business days
                        then tag refill
                        then reply "%s"
                        cooldown once per thread
                        stop"""
                            .formatted(refillsPool, replyBusinessDays, REFILL_POLICY)
                },
                new String[] {
                    WELCOME_RULE,
                    """
                        when message received
                        if first message ever
                        then set due-by in %d business days
                        then reply "%s"
                        cooldown once per thread
                        stop"""
                            .formatted(replyBusinessDays, WELCOME)
                },
                new String[] {
                    "After-hours reply",
                    """
                        when message received
                        if outside business hours
                        then set due-by in %d business days
                        then reply "%s"
                        cooldown once per thread
                        stop"""
                            .formatted(replyBusinessDays, AFTER_HOURS)
                },
                new String[] {
                    "Acknowledgement with the expected reply date",
                    """
                        when message received
                        then set due-by in %d business days
                        then reply "%s" after %d minutes
                        cooldown once per thread"""
                            .formatted(
                                    replyBusinessDays,
                                    ACKNOWLEDGEMENT,
                                    Math.max(1, ackDelayMinutes))
                });
    }
}
