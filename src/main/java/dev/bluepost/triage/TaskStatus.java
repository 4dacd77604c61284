package dev.bluepost.triage;

import java.util.Arrays;
import java.util.Optional;

/** The FHIR Task statuses a queue item moves through. */
public enum TaskStatus {
    REQUESTED("requested"),
    ACCEPTED("accepted"),
    IN_PROGRESS("in-progress"),
    COMPLETED("completed"),
    CANCELLED("cancelled");

    private final String code;

    TaskStatus(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public boolean isOpen() {
        return this != COMPLETED && this != CANCELLED;
    }

    public static Optional<TaskStatus> fromCode(String code) {
        return Arrays.stream(values()).filter(s -> s.code.equals(code)).findFirst();
    }
}
