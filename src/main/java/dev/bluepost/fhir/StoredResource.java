package dev.bluepost.fhir;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A resource an integrator owns (directory entries, encounters): stored as sent, in
 * {@code resource} (JSONB, without id and meta.versionId/lastUpdated, which the server owns),
 * plus the columns each feature extracts for its rules and searches. docs/adr/0004 explains why.
 */
@MappedSuperclass
public abstract class StoredResource extends PanacheEntityBase {

    @Id public UUID id;

    /** Hibernate's optimistic-lock counter; FHIR {@code meta.versionId} is this plus one. */
    @Version public Integer version;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "resource", nullable = false)
    public String resource;

    /** {@code system|value} and {@code *|value} of every identifier (see {@link SearchValues#token}). */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "identifier_tokens", nullable = false)
    public String[] identifierTokens = new String[0];

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public String versionId() {
        return String.valueOf(version == null ? 1 : version + 1);
    }
}
