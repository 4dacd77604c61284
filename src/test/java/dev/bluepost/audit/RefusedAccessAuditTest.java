package dev.bluepost.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which refused requests concern patient information, and which record (type and id) the path names. */
class RefusedAccessAuditTest {

    private static final String ID = "0b6f1a52-8c4e-4a52-9d3e-3a4f3b0c9e11";
    private static final String OTHER = "7d0c7a1e-5b2f-4e8a-8f57-2c1d9e6b4a30";

    @Test
    void fhirPathsNameTheResourceTypeAndId() {
        assertThat(target("GET", "/fhir/Communication/" + ID))
                .contains(new RefusedAccessAudit.Target(AuditAction.READ, "Communication", ID));
        assertThat(target("GET", "/fhir/Binary/" + ID))
                .contains(new RefusedAccessAudit.Target(AuditAction.DOWNLOAD, "Binary", ID));
        assertThat(target("GET", "/fhir/Communication"))
                .contains(new RefusedAccessAudit.Target(AuditAction.SEARCH, "Communication", null));
        assertThat(target("POST", "/fhir/Communication"))
                .contains(new RefusedAccessAudit.Target(AuditAction.CREATE, "Communication", null));
        assertThat(target("POST", "/fhir/Communication/_search"))
                .contains(new RefusedAccessAudit.Target(AuditAction.SEARCH, "Communication", null));
        assertThat(target("GET", "/fhir/Measure/sm-s2/$evaluate-measure"))
                .contains(new RefusedAccessAudit.Target(AuditAction.READ, "Measure", "sm-s2"));
        assertThat(target("PUT", "/fhir/Patient/" + ID))
                .contains(new RefusedAccessAudit.Target(AuditAction.UPDATE, "Patient", ID));
        assertThat(target("GET", "/fhir/metadata")).isEmpty();
    }

    @Test
    void pagePathsNameTheInnermostRecord() {
        assertThat(target("GET", "/patient/threads/" + ID))
                .contains(new RefusedAccessAudit.Target(AuditAction.READ, "Thread", ID));
        assertThat(target("GET", "/staff/threads/" + ID + "/attachments/" + OTHER))
                .contains(new RefusedAccessAudit.Target(AuditAction.DOWNLOAD, "Attachment", OTHER));
        assertThat(target("POST", "/patient/threads/" + ID + "/messages/" + OTHER + "/retract"))
                .contains(
                        new RefusedAccessAudit.Target(AuditAction.UPDATE, "Communication", OTHER));
        assertThat(target("GET", "/patient/documents/" + ID + "/download"))
                .contains(
                        new RefusedAccessAudit.Target(
                                AuditAction.DOWNLOAD, "DocumentReference", ID));
        assertThat(target("POST", "/staff/items/" + ID + "/claim"))
                .contains(new RefusedAccessAudit.Target(AuditAction.UPDATE, "TriageItem", ID));
        assertThat(target("GET", "/staff/queue"))
                .contains(new RefusedAccessAudit.Target(AuditAction.READ, null, null));
        assertThat(target("GET", "/patient/threads/<script>"))
                .contains(new RefusedAccessAudit.Target(AuditAction.READ, null, null));
    }

    @Test
    void pathsWithoutPatientInformationAreNotRecordedHere() {
        assertThat(target("POST", "/admin/logins/someone/unlock")).isEmpty();
        assertThat(target("GET", "/account/security")).isEmpty();
        assertThat(target("GET", "/login")).isEmpty();
        assertThat(target("GET", "/")).isEmpty();
        assertThat(target("GET", null)).isEmpty();
    }

    private static Optional<RefusedAccessAudit.Target> target(String method, String path) {
        return RefusedAccessAudit.target(method, path);
    }
}
