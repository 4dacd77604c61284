package dev.bluepost.messaging.emergency;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why a clinician opened emergency ("break-glass") access. A fixed list of codes, never free text:
 * the reason goes into the audit log, which holds no content.
 */
public enum EmergencyReason {
    LIFE_THREATENING("life-threatening", "Life-threatening emergency"),
    UNABLE_TO_CONSENT("unable-to-consent", "Urgent care; the patient cannot be asked"),
    CARE_TEAM_UNAVAILABLE(
            "care-team-unavailable", "Urgent care; the patient's care team cannot be reached");

    private final String code;
    private final String label;

    EmergencyReason(String code, String label) {
        this.code = code;
        this.label = label;
    }

    public String code() {
        return code;
    }

    public String label() {
        return label;
    }

    public static Optional<EmergencyReason> ofCode(String code) {
        return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst();
    }
}
