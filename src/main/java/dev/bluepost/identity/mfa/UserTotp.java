package dev.bluepost.identity.mfa;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;

/**
 * A login's TOTP secret, sealed under its own data key; {@code enrolledAt} null = enrolment not yet confirmed.
 * Updates write only the changed columns: a sign-in that moves {@code lastStep} never writes back a data key
 * that {@code rotate-kek} re-wrapped in the meantime.
 */
@Entity
@DynamicUpdate
@Table(name = "user_totp")
public class UserTotp extends PanacheEntityBase {

    @Id
    @Column(name = "user_id")
    public UUID userId;

    @Column(name = "dek_kek_id", nullable = false)
    public String dekKekId;

    @Column(name = "dek_wrapped", nullable = false)
    public byte[] dekWrapped;

    @Column(name = "secret_iv", nullable = false)
    public byte[] secretIv;

    @Column(name = "secret_ciphertext", nullable = false)
    public byte[] secretCiphertext;

    @Column(name = "secret_sha256", nullable = false)
    public byte[] secretSha256;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "enrolled_at")
    public Instant enrolledAt;

    /** The last time step whose code was accepted; earlier and equal steps are refused (no replay). */
    @Column(name = "last_step", nullable = false)
    public long lastStep;
}
