package dev.bluepost.encounters;

import dev.bluepost.fhir.StoredResource;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A visit document the EHR made available to the patient (FHIR DocumentReference): the patient and
 * visit it belongs to, when the information became available to the EP ({@code available_at},
 * {@code DocumentReference.date}) and when the platform made it available online to the patient
 * ({@code posted_at}). The attachment's content is sealed under the document's own data key; the
 * stored resource never holds it.
 */
@Entity
@Table(name = "visit_document")
public class VisitDocument extends StoredResource {

    @Column(name = "practice_id", nullable = false)
    public UUID practiceId;

    @Column(name = "patient_id", nullable = false)
    public UUID patientId;

    @Column(name = "encounter_id")
    public UUID encounterId;

    @Column(nullable = false)
    public String status;

    @Column(name = "available_at", nullable = false)
    public Instant availableAt;

    @Column(name = "posted_at", nullable = false)
    public Instant postedAt;

    @Column(name = "content_type", nullable = false)
    public String contentType;

    @Column(name = "content_size", nullable = false)
    public int contentSize;

    @Column(name = "dek_kek_id", nullable = false)
    public String dekKekId;

    @Column(name = "dek_wrapped", nullable = false)
    public byte[] dekWrapped;

    @Column(name = "content_iv", nullable = false)
    public byte[] contentIv;

    @Column(name = "content_ciphertext", nullable = false)
    public byte[] contentCiphertext;

    @Column(name = "content_sha256", nullable = false)
    public byte[] contentSha256;
}
