package dev.bluepost.messaging;

import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import java.util.UUID;

/**
 * A staff member of the thread's practice reached for a restricted thread (marked sensitive) without
 * being on its care team and without emergency access in force: 403, and the page offers a
 * clinician emergency access.
 */
public class RestrictedThreadException extends BluepostException {

    private final UUID threadId;
    private final UUID patientId;

    public RestrictedThreadException(UUID threadId, UUID patientId) {
        super(
                ErrorKind.FORBIDDEN,
                "Thread/"
                        + threadId
                        + " is restricted to the patient's care team; a clinician outside it "
                        + "may open emergency access, which is recorded and reviewed.");
        this.threadId = threadId;
        this.patientId = patientId;
    }

    public UUID patientId() {
        return patientId;
    }

    public UUID threadId() {
        return threadId;
    }
}
