package dev.bluepost.messaging;

import java.util.Arrays;
import java.util.Optional;

/** Message types, https://fhir.bluepost.dev/CodeSystem/message-category. */
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

    public static Optional<MessageCategory> fromCode(String code) {
        return Arrays.stream(values()).filter(c -> c.code.equals(code)).findFirst();
    }

    public static String displayOf(String code) {
        return fromCode(code).map(MessageCategory::display).orElse(code);
    }
}
