package dev.bluepost.identity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A browser session. The cookie holds a random token; only its SHA-256 is stored, so a database
 * reader cannot take over sessions. Sessions end on logout, after inactivity, or at their absolute
 * expiry.
 */
@Entity
@Table(name = "web_session")
public class WebSession extends PanacheEntityBase {

    @Id public UUID id;

    @Column(name = "token_sha256", nullable = false, unique = true)
    public String tokenSha256;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_seen_at", nullable = false)
    public Instant lastSeenAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "idle_timeout_seconds", nullable = false)
    public long idleTimeoutSeconds;

    /** For a proxy: the RelatedPerson authorization chosen for this session. */
    @Column(name = "acting_related_person_id")
    public UUID actingRelatedPersonId;

    /** {@link SessionService.Stage}: only FULL sessions authenticate requests. */
    @Column(nullable = false)
    public String stage = SessionService.Stage.FULL.name();

    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "end_reason")
    public String endReason;

    /** The User-Agent header of the sign-in (at most 512 characters): the person's list of sessions names the browser. */
    @Column(name = "user_agent")
    public String userAgent;
}
