package dev.bluepost.identity;

import dev.bluepost.platform.security.Role;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** A person's login: unique user name, Argon2id password hash, roles, and the records it stands for. */
@Entity
@Table(name = "user_account")
public class UserAccount extends PanacheEntityBase {

    @Id public UUID id;

    @Version public Integer version;

    /** Lower-cased; unique. */
    @Column(nullable = false, unique = true)
    public String username;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    /** Where notifications go; null = the Patient record's address (patients), or none. Never logged. */
    public String email;

    /** The language of this login's pages and e-mails: "en" or "es"; null until chosen (the browser's is used). */
    public String language;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "user_role", joinColumns = @JoinColumn(name = "user_id"))
    @Column(name = "role")
    @Enumerated(EnumType.STRING)
    public Set<Role> roles = EnumSet.noneOf(Role.class);

    /** The practice of a staff member (patients and proxies get theirs from the patient record). */
    @Column(name = "practice_id")
    public UUID practiceId;

    @Column(name = "practitioner_id")
    public UUID practitionerId;

    @Column(name = "patient_id")
    public UUID patientId;

    /** For a PROXY: the RelatedPerson authorizations (one per patient) this login may use. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "user_proxy_link", joinColumns = @JoinColumn(name = "user_id"))
    @Column(name = "related_person_id")
    public Set<UUID> relatedPersonIds = new HashSet<>();

    @Column(nullable = false)
    public boolean active = true;

    @Column(name = "failed_logins", nullable = false)
    public int failedLogins;

    @Column(name = "locked_until")
    public Instant lockedUntil;

    /** Lockouts in a row (reset by a successful sign-in): each lasts twice as long as the one before. */
    @Column(nullable = false)
    public int lockouts;

    @Column(name = "password_changed_at")
    public Instant passwordChangedAt;

    @Column(name = "last_login_at")
    public Instant lastLoginAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
