package dev.bluepost.identity;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.crypto.Digests;
import dev.bluepost.platform.Ids;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Browser sessions: opened at login, ended by logout, inactivity or the absolute limit. */
@ApplicationScoped
public class SessionService {

    /** last_seen_at is written at most this often, not on every request. */
    private static final Duration TOUCH_GRANULARITY = Duration.ofSeconds(30);

    private final SecurityConfig config;
    private final Clock clock;
    private final AuditRecorder audit;
    private final SecureRandom random = new SecureRandom();

    public SessionService(SecurityConfig config, Clock clock, AuditRecorder audit) {
        this.config = config;
        this.clock = clock;
        this.audit = audit;
    }

    /** How far a session's sign-in has come: only FULL sessions authenticate requests. */
    public enum Stage {
        /** Password and (where needed) second factor passed. */
        FULL,
        /** The password was right; the TOTP or a recovery code is still due. */
        SECOND_FACTOR,
        /** The password was right; a staff login without a second factor must enrol one first. */
        ENROL
    }

    /** A session waiting for its second factor ends after this long without a request. */
    static final Duration PENDING_IDLE_TIMEOUT = Duration.ofMinutes(5);

    public record ActiveSession(UUID id, UUID userId, UUID actingRelatedPersonId, Stage stage) {

        public boolean full() {
            return stage == Stage.FULL;
        }
    }

    /**
     * The inactivity limit of a login: the smallest configured for one of its roles
     * ({@code bluepost.security.session-idle-timeout.role.<ROLE>}), else the staff or patient default.
     */
    public Duration idleTimeoutFor(java.util.Set<dev.bluepost.platform.security.Role> roles) {
        boolean staff = roles.stream().anyMatch(dev.bluepost.platform.security.Role::isStaff);
        Duration fallback =
                staff ? config.sessionIdleTimeout().staff() : config.sessionIdleTimeout().patient();
        return roles.stream()
                .map(r -> config.sessionIdleTimeout().role().get(r.name()))
                .filter(java.util.Objects::nonNull)
                .min(Duration::compareTo)
                .orElse(fallback);
    }

    /** Opens a fully signed-in session (no second factor pending). */
    @Transactional
    public String open(UUID userId, boolean staff) {
        return open(
                userId,
                staff ? config.sessionIdleTimeout().staff() : config.sessionIdleTimeout().patient(),
                Stage.FULL);
    }

    /** Opens a session and returns the cookie token (shown once; only its digest is stored). */
    @Transactional
    public String open(UUID userId, Duration idleTimeout, Stage stage) {
        return open(userId, idleTimeout, stage, null);
    }

    /**
     * Opens a session from a browser that sent this User-Agent (kept, cut to 512 characters, so that
     * the person's list of sessions can name the browser) and returns the cookie token.
     */
    @Transactional
    public String open(UUID userId, Duration idleTimeout, Stage stage, String userAgent) {
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
        session.idleTimeoutSeconds =
                (stage == Stage.FULL ? idleTimeout : PENDING_IDLE_TIMEOUT).toSeconds();
        session.stage = stage.name();
        session.userAgent =
                userAgent == null || userAgent.isBlank()
                        ? null
                        : userAgent.length() > 512 ? userAgent.substring(0, 512) : userAgent;
        session.persist();
        return token;
    }

    /** The live session of a token, the request being the person's own activity ({@link #resolve(String, boolean)}). */
    @Transactional
    public Optional<ActiveSession> resolve(String token) {
        return resolve(token, true);
    }

    /**
     * The live session of a token; ends it (and answers empty) when it has expired or idled out. Only
     * a person's own request ({@code activity}) moves its last activity; a request a page's script sent
     * by itself ({@link BackgroundRequests}) does not, so a page that keeps polling still signs out.
     */
    @Transactional
    public Optional<ActiveSession> resolve(String token, boolean activity) {
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
            if (Stage.FULL.name().equals(session.stage)) {
                auditEnd(session, "idle-timeout");
            } else {
                UserAccount user = UserAccount.findById(session.userId);
                audit.record(
                        user == null ? null : IdentityService.actorOf(user),
                        AuditEntry.of(AuditAction.LOGIN_FAILED)
                                .on("Session", session.id)
                                .failure("second-factor-abandoned"));
            }
            return Optional.empty();
        }
        if (activity
                && Duration.between(session.lastSeenAt, now).compareTo(TOUCH_GRANULARITY) > 0) {
            session.lastSeenAt = now;
        }
        return Optional.of(
                new ActiveSession(
                        session.id,
                        session.userId,
                        session.actingRelatedPersonId,
                        Stage.valueOf(session.stage)));
    }

    /**
     * How long the session has left before it ends for inactivity or at its absolute limit, whichever
     * comes first, without counting this question as activity; empty when it has ended (or was never).
     */
    @Transactional
    @ActivateRequestContext
    public Optional<Duration> remaining(UUID sessionId) {
        WebSession session = sessionId == null ? null : WebSession.findById(sessionId);
        if (session == null || session.endedAt != null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant end = session.lastSeenAt.plusSeconds(session.idleTimeoutSeconds);
        if (session.expiresAt.isBefore(end)) {
            end = session.expiresAt;
        }
        if (now.isAfter(end)) {
            return Optional.empty();
        }
        // to the nearest second: the stored times have microseconds, the clock may have nanoseconds
        return Optional.of(
                Duration.ofSeconds(Math.round(Duration.between(now, end).toMillis() / 1000.0)));
    }

    /**
     * The person said they are still there ("Stay signed in", or typing in the page): the session's
     * last activity is now, whatever the usual granularity. Answers what it then has left.
     */
    @Transactional
    public Optional<Duration> keepAlive(UUID sessionId) {
        WebSession session = sessionId == null ? null : WebSession.findById(sessionId);
        if (session == null || session.endedAt != null) {
            return Optional.empty();
        }
        session.lastSeenAt = clock.instant();
        return remaining(sessionId);
    }

    /** Why the session of this token ended ({@code idle}, {@code expired}, {@code logout}), if it has. */
    @Transactional
    public Optional<String> endReason(String token) {
        if (token == null || token.isBlank() || token.length() > 100) {
            return Optional.empty();
        }
        return WebSession.<WebSession>find(
                        "tokenSha256 = ?1 and endedAt is not null", Digests.sha256Hex(token))
                .firstResultOptional()
                .map(s -> s.endReason);
    }

    /** The second factor was given (or enrolled): the session now authenticates, with the login's idle limit. */
    @Transactional
    public void promote(UUID sessionId, Duration idleTimeout) {
        WebSession session = WebSession.findById(sessionId);
        if (session != null && session.endedAt == null) {
            session.stage = Stage.FULL.name();
            session.idleTimeoutSeconds = idleTimeout.toSeconds();
            session.lastSeenAt = clock.instant();
        }
    }

    /** Ends a session that did not pass its second factor (e.g. the login was locked meanwhile). */
    @Transactional
    public void abandon(UUID sessionId) {
        WebSession session = WebSession.findById(sessionId);
        if (session != null && session.endedAt == null) {
            end(session, clock.instant(), "second-factor-refused");
        }
    }

    @Transactional
    public void logout(String token) {
        find(token)
                .ifPresent(
                        session -> {
                            end(session, clock.instant(), "logout");
                            auditEnd(session, "signed-out");
                        });
    }

    /**
     * Ends every open session of a login, each recorded as LOGOUT with {@code reason} (an admin reset
     * the login's second factor: a session opened with the old one must not outlive it).
     */
    @Transactional
    public int endAllOf(UUID userId, String reason) {
        Instant now = clock.instant();
        List<WebSession> open = WebSession.list("userId = ?1 and endedAt is null", userId);
        for (WebSession session : open) {
            end(session, now, reason);
            auditEnd(session, reason);
        }
        return open.size();
    }

    /** A signed-in session of a person, for their list of sessions (ADR 0040). */
    public record SessionView(UUID id, Instant createdAt, Instant lastSeenAt, String userAgent) {}

    /**
     * The person's sessions that still authenticate: signed in fully, not ended, neither idle past
     * their limit nor past their absolute expiry; the most recently active first.
     */
    @Transactional
    public List<SessionView> activeOf(UUID userId) {
        Instant now = clock.instant();
        return WebSession.<WebSession>list(
                        "userId = ?1 and endedAt is null and stage = ?2 and expiresAt > ?3 order by lastSeenAt desc",
                        userId,
                        Stage.FULL.name(),
                        now)
                .stream()
                .filter(s -> !now.isAfter(s.lastSeenAt.plusSeconds(s.idleTimeoutSeconds)))
                .map(s -> new SessionView(s.id, s.createdAt, s.lastSeenAt, s.userAgent))
                .toList();
    }

    /**
     * Ends one session of this login (a person ending a session of theirs on another device),
     * recorded as LOGOUT with {@code reason}; false when it is not theirs or has already ended.
     */
    @Transactional
    public boolean endOneOf(UUID userId, UUID sessionId, String reason) {
        WebSession session = sessionId == null ? null : WebSession.findById(sessionId);
        if (session == null || !session.userId.equals(userId) || session.endedAt != null) {
            return false;
        }
        end(session, clock.instant(), reason);
        auditEnd(session, reason);
        return true;
    }

    /** Ends every open session of a login but {@code keep} (the one the person is using), each a LOGOUT with {@code reason}. */
    @Transactional
    public int endAllOfExcept(UUID userId, UUID keep, String reason) {
        Instant now = clock.instant();
        List<WebSession> open =
                WebSession.list(
                        "userId = ?1 and endedAt is null and id <> ?2",
                        userId,
                        keep == null ? new UUID(0, 0) : keep);
        for (WebSession session : open) {
            end(session, now, reason);
            auditEnd(session, reason);
        }
        return open.size();
    }

    /** LOGOUT, whichever way the session ended (automatic log-off included), in the ending transaction. */
    private void auditEnd(WebSession session, String reason) {
        UserAccount user = UserAccount.findById(session.userId);
        audit.record(
                user == null ? null : IdentityService.actorOf(user),
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
        return WebSession.<WebSession>find(
                        "tokenSha256 = ?1 and endedAt is null", Digests.sha256Hex(token))
                .firstResultOptional();
    }

    private static void end(WebSession session, Instant now, String reason) {
        session.endedAt = now;
        session.endReason = reason;
    }

    /** Deletes sessions that ended or expired more than 30 days ago. */
    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "1h",
            delayed = "15m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purgeOldSessions() {
        Instant cutoff = clock.instant().minus(Duration.ofDays(30));
        long deleted =
                WebSession.delete(
                        "(endedAt is not null and endedAt < ?1) or expiresAt < ?1", cutoff);
        if (deleted > 0) {
            Log.infof("web sessions purged count=%d", deleted);
        }
    }
}
