package dev.bluepost.messaging.emergency;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One emergency ("break-glass") access: a clinician outside a patient's care team may open that
 * patient's restricted threads of the practice until {@code expiresAt}. Reviewed afterwards by a
 * compliance officer. Rows are never deleted.
 */
@Entity
@Table(name = "emergency_access")
public class EmergencyAccess extends PanacheEntityBase {

    @Id public UUID id;

    @Column(name = "practice_id", nullable = false)
    public UUID practiceId;

    @Column(name = "patient_id", nullable = false)
    public UUID patientId;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(name = "practitioner_id", nullable = false)
    public UUID practitionerId;

    /** An {@link EmergencyReason} code. */
    @Column(nullable = false)
    public String reason;

    @Column(name = "granted_at", nullable = false)
    public Instant grantedAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "reviewed_at")
    public Instant reviewedAt;

    @Column(name = "reviewed_by_user_id")
    public UUID reviewedByUserId;

    /** {@code appropriate} or {@code inappropriate}, once reviewed. */
    @Column(name = "review_outcome")
    public String reviewOutcome;
}
