package dev.bluepost.messaging;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.crypto.EnvelopeCipher;
import dev.bluepost.crypto.KeyRing;
import dev.bluepost.crypto.TamperedDataException;
import dev.bluepost.crypto.WrappedKey;
import dev.bluepost.platform.security.Actor;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * KEK rotation: re-wraps every stored data key that is not wrapped by the active key-encryption
 * key — the threads' keys (messages, subjects), the staff notes' keys (triage internal notes), the
 * visit documents' keys (PEA DocumentReference content) and the logins' TOTP secrets' keys —
 * without touching a body, subject or secret (they stay encrypted under the same data key). Works in
 * batches in id order, table by table, each batch in its own transaction, so it can be stopped at
 * any point and run again: it only ever picks up keys still wrapped by another KEK.
 */
@ApplicationScoped
public class DataKeyRotationService {

    private static final UUID BEFORE_ALL = new UUID(0, 0);

    /**
     * A table holding wrapped data keys ({@code dek_kek_id}, {@code dek_wrapped}); the SQL names are
     * constants of this class, never input.
     */
    private record KeyTable(
            String table,
            String idColumn,
            String resourceType,
            String patientColumn,
            String practiceColumn,
            boolean versioned) {}

    private static final List<KeyTable> TABLES =
            List.of(
                    new KeyTable(
                            "message_thread", "id", "Thread", "patient_id", "practice_id", true),
                    new KeyTable("triage_note", "id", "Note", "null::uuid", "practice_id", false),
                    new KeyTable(
                            "visit_document",
                            "id",
                            "DocumentReference",
                            "patient_id",
                            "practice_id",
                            true),
                    // a login's TOTP secret (ADR 0019); its row is keyed by the login's id
                    new KeyTable(
                            "user_totp", "user_id", "Login", "null::uuid", "null::uuid", false));

    private final EntityManager em;
    private final EnvelopeCipher cipher;
    private final KeyRing keyRing;
    private final AuditRecorder audit;

    public DataKeyRotationService(
            EntityManager em, EnvelopeCipher cipher, KeyRing keyRing, AuditRecorder audit) {
        this.em = em;
        this.cipher = cipher;
        this.keyRing = keyRing;
        this.audit = audit;
    }

    /**
     * What a rotation did (counts and ids only).
     *
     * @param missingKekIds KEK ids that wrap stored data keys but are not configured; when any, nothing was changed
     * @param failedThreads threads, notes, documents and TOTP secrets whose data key failed to unwrap (tampered), as
     *                      {@code Thread/id}, {@code Note/id}, {@code DocumentReference/id} or {@code Login/id}; left as they were
     * @param remaining     data keys still wrapped by another KEK after the run (0 when complete)
     */
    public record RotationReport(
            String activeKekId,
            long rewrapped,
            int batches,
            List<String> missingKekIds,
            List<String> failedThreads,
            long remaining) {

        public boolean complete() {
            return missingKekIds.isEmpty() && failedThreads.isEmpty() && remaining == 0;
        }
    }

    /** Re-wraps under the active KEK, {@code batchSize} threads per transaction, recording a KEY_ROTATION audit entry. */
    public RotationReport rotate(int batchSize, Actor operator) {
        return rotate(cipher, keyRing, batchSize, operator);
    }

    /** The same with a given key ring (tests run a rotation to a KEK the application does not have). */
    RotationReport rotate(EnvelopeCipher with, KeyRing ring, int batchSize, Actor operator) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive");
        }
        String active = ring.activeKekId();
        List<String> missing =
                QuarkusTransaction.requiringNew().call(() -> otherKekIds(active)).stream()
                        .filter(id -> !ring.has(id))
                        .toList();
        if (!missing.isEmpty()) {
            Log.errorf(
                    "kek rotation refused: data keys are wrapped by KEKs that are not configured kekIds=%s",
                    missing);
            audit.record(
                    operator,
                    AuditEntry.of(AuditAction.KEY_ROTATION)
                            .on("KeyEncryptionKey", active)
                            .failure("unknown-kek"));
            return new RotationReport(
                    active,
                    0,
                    0,
                    missing,
                    List.of(),
                    QuarkusTransaction.requiringNew().call(() -> remaining(active)));
        }
        long rewrapped = 0;
        int batches = 0;
        List<String> failed = new ArrayList<>();
        for (KeyTable table : TABLES) {
            UUID after = BEFORE_ALL;
            while (true) {
                UUID from = after;
                Batch batch =
                        QuarkusTransaction.requiringNew()
                                .call(() -> rewrapBatch(with, table, active, from, batchSize));
                if (batch.seen == 0) {
                    break;
                }
                batches++;
                rewrapped += batch.rewrapped;
                failed.addAll(batch.failed);
                after = batch.last;
                Log.infof(
                        "kek rotation table=%s batch=%d rewrapped=%d failed=%d activeKekId=%s",
                        table.table(), batches, batch.rewrapped, batch.failed.size(), active);
            }
        }
        long remaining = QuarkusTransaction.requiringNew().call(() -> remaining(active));
        RotationReport report =
                new RotationReport(
                        active, rewrapped, batches, List.of(), List.copyOf(failed), remaining);
        AuditEntry entry = AuditEntry.of(AuditAction.KEY_ROTATION).on("KeyEncryptionKey", active);
        audit.record(
                operator,
                report.complete()
                        ? entry.reason("data-keys-rewrapped")
                        : entry.failure("rewrap-incomplete"));
        Log.infof(
                "kek rotation done activeKekId=%s rewrapped=%d batches=%d failed=%d remaining=%d",
                active, rewrapped, batches, failed.size(), remaining);
        return report;
    }

    private record Batch(int seen, int rewrapped, List<String> failed, UUID last) {}

    /**
     * One batch: locks the next rows (in id order) still wrapped by another KEK, so that a
     * concurrent writer of the same row waits, and re-wraps their keys. A thread's version is raised
     * so that a stale copy of the thread can never write the old wrapping back (notes are never edited).
     */
    private Batch rewrapBatch(
            EnvelopeCipher with, KeyTable table, String active, UUID after, int batchSize) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows =
                em.createNativeQuery(
                                "select "
                                        + table.idColumn()
                                        + ", dek_kek_id, dek_wrapped, "
                                        + table.patientColumn()
                                        + ", "
                                        + table.practiceColumn()
                                        + " from "
                                        + table.table()
                                        + " where dek_kek_id <> :active and "
                                        + table.idColumn()
                                        + " > :after order by "
                                        + table.idColumn()
                                        + " limit :limit for update")
                        .setParameter("active", active)
                        .setParameter("after", after)
                        .setParameter("limit", batchSize)
                        .getResultList();
        int rewrapped = 0;
        List<String> failed = new ArrayList<>();
        UUID last = after;
        for (Object[] row : rows) {
            UUID id = (UUID) row[0];
            last = id;
            WrappedKey rewrappedKey;
            try {
                rewrappedKey = with.rewrap(new WrappedKey((String) row[1], (byte[]) row[2]));
            } catch (TamperedDataException e) {
                Log.errorf("integrity check failed %s=%s part=data-key", table.resourceType(), id);
                failed.add(table.resourceType() + "/" + id);
                audit.integrityFailure(table.resourceType(), id, (UUID) row[3], (UUID) row[4]);
                continue;
            }
            em.createNativeQuery(
                            "update "
                                    + table.table()
                                    + " set dek_kek_id = :kek, dek_wrapped = :wrapped"
                                    + (table.versioned() ? ", version = version + 1" : "")
                                    + " where "
                                    + table.idColumn()
                                    + " = :id")
                    .setParameter("kek", rewrappedKey.kekId())
                    .setParameter("wrapped", rewrappedKey.wrapped())
                    .setParameter("id", id)
                    .executeUpdate();
            rewrapped++;
        }
        return new Batch(rows.size(), rewrapped, failed, last);
    }

    private List<String> otherKekIds(String active) {
        java.util.TreeSet<String> ids = new java.util.TreeSet<>();
        for (KeyTable table : TABLES) {
            @SuppressWarnings("unchecked")
            List<String> found =
                    em.createNativeQuery(
                                    "select distinct dek_kek_id from "
                                            + table.table()
                                            + " where dek_kek_id <> :active")
                            .setParameter("active", active)
                            .getResultList();
            ids.addAll(found);
        }
        return List.copyOf(ids);
    }

    private long remaining(String active) {
        long remaining = 0;
        for (KeyTable table : TABLES) {
            remaining +=
                    ((Number)
                                    em.createNativeQuery(
                                                    "select count(*) from "
                                                            + table.table()
                                                            + " where dek_kek_id <> :active")
                                            .setParameter("active", active)
                                            .getSingleResult())
                            .longValue();
        }
        return remaining;
    }
}
