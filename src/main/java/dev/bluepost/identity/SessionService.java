package dev.bluepost.identity;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditService;
import dev.bluepost.crypto.Digests;
import dev.bluepost.platform.Ids;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/** Browser sessions: opened at login, ended by logout, inactivity or the absolute limit. */
@ApplicationScoped
public class SessionService {

    /** last_seen_at is written at most this often, not on every request. */
    private static final Duration TOUCH_GRANULARITY = Duration.ofSeconds(30);

    private final SecurityConfig config;
    private final Clock clock;
    private final AuditService audit;
    private final SecureRandom random = new SecureRandom();

    public SessionService(SecurityConfig config, Clock clock, AuditService audit) {
        this.config = config;
        this.clock = clock;
        this.audit = audit;
    }

    public record ActiveSession(UUID id, UUID userId, UUID actingRelatedPersonId) {
    }

    /** Opens a session and returns the cookie token (shown once; only its digest is stored). */
    @Transactional
    public String open(UUID userId, boolean staff) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        WebSession session = new WebSession();
        session.id = Ids.newId();
        session.tokenSha256 = Digests.sha256Hex(token);
        session.userId = userId;
        session.createdAt = now;
        session.lastSeenAt = now;
        session.expiresAt = now.plus(config.sessionAbsoluteTimeout());
        session.idleTimeoutSeconds = (staff ? config.sessionIdleTimeout().staff() : config.sessionIdleTimeout().patient()).toSeconds();
        session.persist();
        return token;
    }

    /** The live session of a token; ends it (and answers empty) when it has expired or idled out. */
    @Transactional
    public Optional<ActiveSession> resolve(String token) {
        Optional<WebSession> found = find(token);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        WebSession session = found.get();
        Instant now = clock.instant();
        if (now.isAfter(session.expiresAt)) {
            end(session, now, "expired");
            auditEnd(session, "session-expired");
            return Optional.empty();
        }
        if (now.isAfter(session.lastSeenAt.plusSeconds(session.idleTimeoutSeconds))) {
            end(session, now, "idle");
            auditEnd(session, "idle-timeout");
            return Optional.empty();
        }
        if (Duration.between(session.lastSeenAt, now).compareTo(TOUCH_GRANULARITY) > 0) {
            session.lastSeenAt = now;
        }
        return Optional.of(new ActiveSession(session.id, session.userId, session.actingRelatedPersonId));
    }

    @Transactional
    public void logout(String token) {
        find(token).ifPresent(session -> {
            end(session, clock.instant(), "logout");
            auditEnd(session, "signed-out");
        });
    }

    /** LOGOUT, whichever way the session ended (automatic log-off included), in the ending transaction. */
    private void auditEnd(WebSession session, String reason) {
        UserAccount user = UserAccount.findById(session.userId);
        audit.record(user == null ? null : IdentityService.actorOf(user),
                AuditEntry.of(AuditAction.LOGOUT).on("Session", session.id).reason(reason));
    }

    @Transactional
    public void actFor(UUID sessionId, UUID relatedPersonId) {
        WebSession session = WebSession.findById(sessionId);
        if (session != null) {
            session.actingRelatedPersonId = relatedPersonId;
        }
    }

    private Optional<WebSession> find(String token) {
        if (token == null || token.isBlank() || token.length() > 100) {
            return Optional.empty();
        }
        return WebSession.<WebSession>find("tokenSha256 = ?1 and endedAt is null", Digests.sha256Hex(token))
                .firstResultOptional();
    }

    private static void end(WebSession session, Instant now, String reason) {
        session.endedAt = now;
        session.endReason = reason;
    }

    /** Deletes sessions that ended or expired more than 30 days ago. */
    @Scheduled(every = "1h", delayed = "15m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purgeOldSessions() {
        Instant cutoff = clock.instant().minus(Duration.ofDays(30));
        long deleted = WebSession.delete("(endedAt is not null and endedAt < ?1) or expiresAt < ?1", cutoff);
        if (deleted > 0) {
            Log.infof("web sessions purged count=%d", deleted);
        }
    }
}
