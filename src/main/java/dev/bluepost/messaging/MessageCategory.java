package dev.bluepost.messaging;

import dev.bluepost.platform.i18n.Language;
import java.util.Arrays;
import java.util.Optional;

/** Message types, https://fhir.bluepost.dev/CodeSystem/message-category; {@code display} is the code system's English. */
public enum MessageCategory {
    MEDICAL_QUESTION("medical-question", "Medical question"),
    MEDICATION_REFILL("medication-refill", "Prescription refill"),
    APPOINTMENT("appointment", "Appointment"),
    REFERRAL("referral", "Referral"),
    TEST_RESULTS("test-results", "Test results"),
    BILLING("billing", "Billing"),
    OTHER("other", "Other");

    private final String code;
    private final String display;

    MessageCategory(String code, String display) {
        this.code = code;
        this.display = display;
    }

    public String code() {
        return code;
    }

    public String display() {
        return display;
    }

    /** The type in the words a reader uses ("Prescription refill"), in their language. */
    public String inWords(Language language) {
        CategoryMessages m = language.messages(CategoryMessages.class);
        return switch (this) {
            case MEDICAL_QUESTION -> m.medical_question();
            case MEDICATION_REFILL -> m.medication_refill();
            case APPOINTMENT -> m.appointment();
            case REFERRAL -> m.referral();
            case TEST_RESULTS -> m.test_results();
            case BILLING -> m.billing();
            case OTHER -> m.other();
        };
    }

    public static Optional<MessageCategory> fromCode(String code) {
        return Arrays.stream(values()).filter(c -> c.code.equals(code)).findFirst();
    }

    public static String displayOf(String code) {
        return fromCode(code).map(MessageCategory::display).orElse(code);
    }
}
