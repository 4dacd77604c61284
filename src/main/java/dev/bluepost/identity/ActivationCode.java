package dev.bluepost.identity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An activation code the front desk issued for a patient (ADR 0041): only the SHA-256 of the code is
 * stored. It works once ({@code usedAt}), until {@code expiresAt}, and not once voided (a newer code,
 * or too many wrong dates of birth).
 */
@Entity
@Table(name = "activation_code")
public class ActivationCode extends PanacheEntityBase {

    @Id public UUID id;

    @Column(name = "patient_id", nullable = false)
    public UUID patientId;

    @Column(name = "practice_id", nullable = false)
    public UUID practiceId;

    @Column(name = "code_sha256", nullable = false, unique = true)
    public String codeSha256;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;

    @Column(name = "voided_at")
    public Instant voidedAt;

    @Column(name = "failed_attempts", nullable = false)
    public int failedAttempts;

    @Column(name = "issued_by", nullable = false)
    public UUID issuedBy;

    /** The login the code created. */
    @Column(name = "user_id")
    public UUID userId;
}
