package dev.bluepost.identity;

import dev.bluepost.crypto.Digests;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Rate limits kept in the database (ADR 0040, ADR 0041), shared by the password reset requests and
 * the activations: each counted request is a row holding SHA-256 digests of what it is counted by (an
 * address, a client's IP address), never the values, and a time {@code requestedAt}; the limit is the
 * number of rows with the same digest in the window before now. Rows live in PostgreSQL so that every
 * instance sees the same counts; rows dated after now (a test's clock) do not count.
 */
@ApplicationScoped
public class RequestLimits {

    private final EntityManager em;
    private final Clock clock;

    public RequestLimits(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /** The digest a request row keeps of a value ({@code kind}: "client", "address"). */
    static String digest(String kind, String value) {
        return Digests.sha256Hex(kind + ":" + (value == null ? "" : value));
    }

    /**
     * How many rows of the entity ({@code requestedAt} and a digest field) have this digest in the
     * window before now; call it in the transaction that adds the new row.
     */
    long recent(Class<?> entity, String digestField, String digest, Duration window) {
        Instant now = clock.instant();
        return em.createQuery(
                        "select count(r) from "
                                + entity.getSimpleName()
                                + " r where r."
                                + digestField
                                + " = :digest and r.requestedAt > :since and r.requestedAt <= :now",
                        Long.class)
                .setParameter("digest", digest)
                .setParameter("since", now.minus(window))
                .setParameter("now", now)
                .getSingleResult();
    }
}
