package dev.bluepost.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bluepost.audit.ChainVerification.Breach;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.AuditJournal;
import dev.bluepost.testing.EmbeddedPostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The audit log's chain against the real database: linking, append-only triggers, detection of a
 * changed, deleted and reordered entry (tampering with the triggers disabled, then restoring the
 * rows), transaction semantics, and one linear chain under concurrent writers.
 */
@QuarkusTest
class AuditChainIT {

    private static final Actor STAFF =
            new Actor(
                    UUID.randomUUID(),
                    null,
                    Set.of(Role.PROVIDER, Role.FRONT_DESK),
                    UUID.randomUUID(),
                    UUID.randomUUID(),
                    null,
                    null);

    @Inject AuditRecorder audit;

    @Inject EntityManager em;

    @Test
    void shouldLinkEntriesSoThatTheDocumentedSqlRecomputesEveryHash() throws Exception {
        String marker = UUID.randomUUID().toString();
        UUID patient = UUID.randomUUID();
        audit.record(STAFF, AuditEntry.of(AuditAction.READ).on("Thread", marker).patient(patient));
        audit.record(
                null,
                AuditEntry.of(AuditAction.LOGIN_FAILED)
                        .on("Thread", marker)
                        .failure("unknown-user"));
        audit.record(
                Actor.system("bluepost-system"),
                AuditEntry.of(AuditAction.SEARCH).on("Thread", marker));

        List<Row> rows = rows(marker);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1).sequence).isEqualTo(rows.get(0).sequence + 1);
        assertThat(rows.get(2).sequence).isEqualTo(rows.get(1).sequence + 1);
        assertThat(rows.get(1).previousHash).isEqualTo(rows.get(0).hash);
        assertThat(rows.get(2).previousHash).isEqualTo(rows.get(1).hash);
        assertThat(rows.get(0).roles).isEqualTo("FRONT_DESK,PROVIDER");
        assertThat(rows.get(0).actorUserId).isEqualTo(STAFF.userId().toString());
        assertThat(rows.get(0).practiceId)
                .as("the actor's practice by default")
                .isEqualTo(STAFF.practiceId().toString());
        assertThat(rows.get(1).actorUserId).isNull();
        assertThat(rows.get(1).outcome).isEqualTo("failure");
        assertThat(rows.get(2).clientId).isEqualTo("bluepost-system");

        String sql = Files.readString(Path.of("docs/sql/audit-verify.sql"));
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                Statement statement = db.createStatement();
                ResultSet failing = statement.executeQuery(sql)) {
            assertThat(failing.next()).as("the documented SQL finds every entry intact").isFalse();
        }
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void shouldRefuseUpdateDeleteAndTruncateInTheDatabase() throws Exception {
        String marker = UUID.randomUUID().toString();
        audit.record(STAFF, AuditEntry.of(AuditAction.READ).on("Thread", marker));
        long sequence = rows(marker).get(0).sequence;
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                Statement sql = db.createStatement()) {
            for (String change :
                    List.of(
                            "update audit_event set action = 'CREATE' where sequence_number = "
                                    + sequence,
                            "delete from audit_event where sequence_number = " + sequence,
                            "truncate audit_event",
                            "delete from audit_chain_head",
                            "update audit_chain_head set last_sequence = 0")) {
                assertThatThrownBy(() -> sql.execute(change))
                        .as(change)
                        .isInstanceOfSatisfying(
                                SQLException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            }
            assertThatThrownBy(
                            () ->
                                    sql.execute(
                                            "insert into audit_event (sequence_number, occurred_at, action, outcome, "
                                                    + "previous_hash, hash) values ("
                                                    + (sequence + 1_000_000)
                                                    + ", now(), 'READ', 'success', repeat('0', 64), "
                                                    + "repeat('1', 64))"))
                    .as("an insert that does not extend the chain head")
                    .isInstanceOfSatisfying(
                            SQLException.class,
                            e -> assertThat(e.getSQLState()).isEqualTo("23514"));
        }
        assertThat(rows(marker)).hasSize(1);
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void shouldDetectAChangedEntry() throws Exception {
        long middle = threeEntries().get(1).sequence;
        tamper(
                "update audit_event set resource_type = 'Patient' where sequence_number = "
                        + middle,
                "update audit_event set resource_type = 'Thread' where sequence_number = " + middle,
                middle,
                Breach.CHANGED);
    }

    @Test
    void shouldDetectADeletedEntry() throws Exception {
        long middle = threeEntries().get(1).sequence;
        String saved = "audit_saved_" + middle;
        tamper(
                "create table "
                        + saved
                        + " as select * from audit_event where sequence_number = "
                        + middle
                        + "; delete from audit_event where sequence_number = "
                        + middle,
                "insert into audit_event select * from " + saved + "; drop table " + saved,
                middle,
                Breach.DELETED);
    }

    @Test
    void shouldDetectReorderedEntries() throws Exception {
        long first = threeEntries().get(0).sequence;
        String swap =
                "update audit_event set sequence_number = 9000000000000 where sequence_number = "
                        + first
                        + "; update audit_event set sequence_number = "
                        + first
                        + " where sequence_number = "
                        + (first + 1)
                        + "; update audit_event set sequence_number = "
                        + (first + 1)
                        + " where sequence_number = 9000000000000";
        tamper(swap, swap, first, Breach.REORDERED);
    }

    @Test
    void shouldCommitEntriesWithTheirTransactionAndFailuresOnTheirOwn() throws Exception {
        String marker = UUID.randomUUID().toString();
        assertThatThrownBy(
                        () ->
                                QuarkusTransaction.requiringNew()
                                        .run(
                                                () -> {
                                                    audit.record(
                                                            STAFF,
                                                            AuditEntry.of(AuditAction.CREATE)
                                                                    .on("Communication", marker));
                                                    audit.recordIndependently(
                                                            STAFF,
                                                            AuditEntry.of(
                                                                            AuditAction
                                                                                    .INTEGRITY_FAILURE)
                                                                    .on("Communication", marker)
                                                                    .failure(
                                                                            "integrity-check-failed"));
                                                    throw new IllegalStateException(
                                                            "the business transaction fails");
                                                }))
                .isInstanceOf(IllegalStateException.class);

        assertThat(rows(marker)).extracting(r -> r.action).containsExactly("INTEGRITY_FAILURE");
        assertThatThrownBy(
                        () ->
                                QuarkusTransaction.requiringNew()
                                        .run(
                                                () -> {
                                                    QuarkusTransaction.setRollbackOnly();
                                                    audit.record(
                                                            STAFF,
                                                            AuditEntry.of(AuditAction.UPDATE)
                                                                    .on("Communication", marker));
                                                }))
                .hasCauseInstanceOf(jakarta.transaction.RollbackException.class);
        assertThat(rows(marker))
                .as("nothing recorded for a transaction that can only roll back")
                .hasSize(1);

        QuarkusTransaction.requiringNew()
                .run(
                        () -> {
                            audit.record(
                                    STAFF,
                                    AuditEntry.of(AuditAction.READ).on("Communication", marker));
                            audit.record(
                                    STAFF,
                                    AuditEntry.of(AuditAction.READ).on("Communication", marker));
                            assertThat(rowsUnchecked(marker))
                                    .as("appended at commit, not before")
                                    .hasSize(1);
                        });
        assertThat(rows(marker))
                .extracting(r -> r.action)
                .containsExactly("INTEGRITY_FAILURE", "READ");
    }

    /**
     * Writers that take a business lock before and after recording, in opposite orders: had the
     * chain head been locked when an entry is recorded, these would deadlock (PostgreSQL would
     * abort one of each pair); appended at commit, the head is every transaction's last lock.
     */
    @Test
    void shouldFormOneLinearChainUnderConcurrentWritersWithoutDeadlocks() throws Exception {
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                Statement sql = db.createStatement()) {
            sql.execute("create table if not exists audit_it_lock (id integer primary key)");
            sql.execute("insert into audit_it_lock values (1) on conflict do nothing");
        }
        String marker = UUID.randomUUID().toString();
        int writers = 6;
        int perWriter = 15;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                boolean lockFirst = w % 2 == 0;
                done.add(
                        CompletableFuture.runAsync(
                                () -> {
                                    for (int i = 0; i < perWriter; i++) {
                                        QuarkusTransaction.requiringNew()
                                                .run(
                                                        () -> {
                                                            if (lockFirst) {
                                                                lockBusinessRow();
                                                            }
                                                            audit.record(
                                                                    STAFF,
                                                                    AuditEntry.of(AuditAction.READ)
                                                                            .on("Thread", marker)
                                                                            .patient(
                                                                                    UUID
                                                                                            .randomUUID()));
                                                            if (!lockFirst) {
                                                                lockBusinessRow();
                                                            }
                                                        });
                                    }
                                },
                                pool));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
                    .get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        List<Row> rows = rows(marker);
        assertThat(rows).hasSize(writers * perWriter);
        for (int i = 1; i < rows.size(); i++) {
            assertThat(rows.get(i).previousHash).isEqualTo(rows.get(i - 1).hash);
        }
        ChainVerification verification = audit.verify();
        assertThat(verification.intact()).as(verification.summary()).isTrue();
    }

    private void lockBusinessRow() {
        em.createNativeQuery("select id from audit_it_lock where id = 1 for update")
                .getResultList();
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<Row> threeEntries() throws SQLException {
        String marker = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            audit.record(
                    STAFF,
                    AuditEntry.of(AuditAction.READ)
                            .on("Thread", marker)
                            .patient(UUID.randomUUID()));
        }
        List<Row> rows = rows(marker);
        assertThat(audit.verify().intact()).isTrue();
        return rows;
    }

    /** Tampers with the triggers disabled, checks what verify() reports, then restores the rows exactly. */
    private void tamper(String change, String restore, long expectedAt, Breach expected)
            throws SQLException {
        AuditJournal.settle();
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                Statement sql = db.createStatement()) {
            sql.execute("alter table audit_event disable trigger user");
            try {
                sql.execute(change);
                ChainVerification broken = audit.verify();
                assertThat(broken.intact()).isFalse();
                assertThat(broken.brokenAt()).as(broken.summary()).isEqualTo(expectedAt);
                assertThat(broken.breach()).as(broken.summary()).isEqualTo(expected);
            } finally {
                sql.execute(restore);
                sql.execute("alter table audit_event enable trigger user");
            }
        }
        ChainVerification restored = audit.verify();
        assertThat(restored.intact()).as(restored.summary()).isTrue();
    }

    private record Row(
            long sequence,
            String action,
            String actorUserId,
            String clientId,
            String roles,
            String practiceId,
            String outcome,
            String previousHash,
            String hash) {}

    private List<Row> rowsUnchecked(String resourceId) {
        try {
            return rows(resourceId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Row> rows(String resourceId) throws SQLException {
        AuditJournal.settle();
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query =
                        db.prepareStatement(
                                """
                     select sequence_number, action, actor_user_id, actor_client_id, actor_roles, practice_id, outcome,
                            previous_hash, hash
                     from audit_event where resource_id = ? order by sequence_number""")) {
            query.setString(1, resourceId);
            List<Row> rows = new ArrayList<>();
            try (ResultSet r = query.executeQuery()) {
                while (r.next()) {
                    rows.add(
                            new Row(
                                    r.getLong(1),
                                    r.getString(2),
                                    r.getString(3),
                                    r.getString(4),
                                    r.getString(5),
                                    r.getString(6),
                                    r.getString(7),
                                    r.getString(8),
                                    r.getString(9)));
                }
            }
            return rows;
        }
    }
}
