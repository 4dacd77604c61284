package dev.bluepost.audit;

import dev.bluepost.platform.db.PerTransaction;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.platform.web.ClientAddress;
import dev.bluepost.platform.web.RequestIds;
import io.quarkus.arc.Arc;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writes the audit log: an append-only, hash-chained record of who did what to which patient's
 * information, when, from where (docs/adr/0011-audit-log.md). {@link AuditReader} reads it.
 *
 * <p>{@link #record} joins the caller's transaction: the entry is appended when that transaction
 * commits, and vanishes with it when it rolls back, so the log says exactly what happened (a READ
 * is recorded because the reading transaction commits, even when it wrote nothing else). Without a
 * transaction the entry is appended at once. {@link #recordIndependently} is for failures, whose
 * transaction will roll back: it commits the entry in a transaction of its own.
 */
@ApplicationScoped
public class AuditRecorder {

    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,100}");
    private static final Pattern SOURCE_IP = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{8,64}");
    private static final Object PENDING = new Object();

    /** The reason code of a refused access to patient information (ADR 0030). */
    public static final String ACCESS_DENIED = "access-denied";

    /** The reason code of a refused read of a restricted thread by staff outside its care team (ADR 0026). */
    public static final String RESTRICTED = "restricted";

    /**
     * The reason code of what a clinician did under emergency ("break-glass") access (ADR 0026): reads,
     * replies, notes, downloads, retractions; {@code break-glass.<what>} where the entry has a reason of
     * its own ({@code break-glass.closed}), {@code break-glass.<reason>} for opening the access itself.
     * Such entries are recorded whatever the practice's recording switch says.
     */
    public static final String BREAK_GLASS = "break-glass";

    /** The reasons of a refused access: not the caller's record, or a restricted thread outside its care team. */
    static final java.util.Set<String> REFUSALS = java.util.Set.of(ACCESS_DENIED, RESTRICTED);

    private final AuditChain chain;
    private final AuditChainer chainer;
    private final TransactionSynchronizationRegistry transactions;
    private final Clock clock;
    private final AuditReader reader;

    AuditRecorder(
            AuditChain chain,
            AuditChainer chainer,
            TransactionSynchronizationRegistry transactions,
            Clock clock,
            AuditReader reader) {
        this.reader = reader;
        this.chain = chain;
        this.chainer = chainer;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Records what {@code actor} did. In a transaction, the entry commits with it (appended just
     * before the commit) or not at all; otherwise it is appended at once. {@code actor} may be null when nobody
     * could be identified (a sign-in with an unknown user name).
     */
    public void record(Actor actor, AuditEntry entry) {
        noteRefusal(entry);
        AuditRow row = unlinked(actor, entry);
        if (switchedOff(entry, row)) {
            return;
        }
        if (transactions.getTransactionKey() == null) {
            QuarkusTransaction.requiringNew().run(() -> journal(List.of(row)));
            return;
        }
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            // the transaction will roll back, and what it did with it; failures use
            // recordIndependently
            Log.debugf(
                    "audit entry not recorded: its transaction is ending without commit action=%s",
                    entry.action());
            return;
        }
        List<AuditRow> pending = pendingInThisTransaction();
        if (pending.stream().noneMatch(row::sameEvent)) {
            pending.add(
                    row); // one entry per event and transaction (a FHIR create and the service it
            // calls both record it)
        }
    }

    /** {@link #record} for whoever is calling now: the request's actor, or nobody outside a request (a command, start-up). */
    public void recordForCaller(AuditEntry entry) {
        record(currentActor().orElse(null), entry);
    }

    /**
     * Records an entry in a transaction of its own, committed before this method returns, whatever
     * becomes of the caller's transaction: for failures (refused sign-ins, integrity failures) whose
     * request then fails and rolls back.
     */
    public void recordIndependently(Actor actor, AuditEntry entry) {
        noteRefusal(entry);
        AuditRow row = unlinked(actor, entry);
        if (switchedOff(entry, row)) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> journal(List.of(row)));
    }

    /**
     * {@link #recordIndependently} with the source address and request id given (captured while the
     * request was being served; this may run on another thread afterwards).
     */
    void recordIndependently(Actor actor, AuditEntry entry, String sourceIp, String requestId) {
        AuditRow row = unlinked(actor, entry, sourceIp, requestId);
        if (switchedOff(entry, row)) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> journal(List.of(row)));
    }

    /** A refused access recorded by the service that refused it: the central recorder leaves this request alone. */
    private static void noteRefusal(AuditEntry entry) {
        if (entry.success() || !REFUSALS.contains(entry.reasonCode())) {
            return;
        }
        var container = Arc.container();
        if (container == null || !container.requestContext().isActive()) {
            return;
        }
        try (var handle = container.instance(RequestRefusals.class)) {
            if (handle.isAvailable()) {
                handle.get().markRecorded();
            }
        }
    }

    /** Whether this request already recorded a refused access (see {@link #noteRefusal}). */
    static boolean refusalRecordedInThisRequest() {
        var container = Arc.container();
        if (container == null || !container.requestContext().isActive()) {
            return false;
        }
        try (var handle = container.instance(RequestRefusals.class)) {
            return handle.isAvailable() && handle.get().recorded();
        }
    }

    /**
     * Whether this entry is about patient information in a practice whose admin switched that
     * recording off. Security events, refusals and other failures, what is done under emergency
     * access, and entries without a patient are always recorded.
     */
    private boolean switchedOff(AuditEntry entry, AuditRow row) {
        if (!entry.action().switchable()
                || !entry.success()
                || entry.patientId() == null
                || row.practiceId() == null) {
            return false;
        }
        if (entry.reasonCode() != null && entry.reasonCode().startsWith(BREAK_GLASS)) {
            return false; // what is done under emergency access is always recorded: it is reviewed
        }
        return !recordingInThisTransaction(row.practiceId()).patientAccessRecorded();
    }

    /** A practice's setting, read once per transaction (a message and its audit entries ask up to three times). */
    private Recording recordingInThisTransaction(UUID practiceId) {
        if (transactions.getTransactionKey() == null) {
            return recording(practiceId);
        }
        return PerTransaction.once(
                transactions, new RecordingKey(practiceId), () -> chain.recording(practiceId));
    }

    /** The key of a practice's recording setting among the transaction's resources. */
    private record RecordingKey(UUID practiceId) {}

    /** Whether (and since when, by whom) a practice records access to patient information. */
    public Recording recording(UUID practiceId) {
        return transactions.getTransactionKey() != null
                ? chain.recording(practiceId)
                : QuarkusTransaction.requiringNew().call(() -> chain.recording(practiceId));
    }

    /**
     * Switches the recording of access to patient information for the admin's practice; the
     * switch itself is recorded (AUDIT_RECORDING, reason {@code enabled}/{@code disabled}) in the
     * same transaction, whatever the new state. Only a practice admin may do this.
     */
    public void setPatientAccessRecording(Actor admin, boolean recorded) {
        if (admin == null
                || !admin.has(Role.ADMIN)
                || admin.practiceId() == null
                || admin.userId() == null) {
            throw dev.bluepost.platform.errors.BluepostException.said(
                    dev.bluepost.platform.errors.ErrorKind.FORBIDDEN,
                    AuditMessages.class,
                    AuditMessages::error_recording_not_allowed);
        }
        QuarkusTransaction.joiningExisting()
                .run(
                        () -> {
                            chain.setRecording(
                                    admin.practiceId(), recorded, clock.instant(), admin.userId());
                            transactions.putResource(
                                    new RecordingKey(admin.practiceId()),
                                    chain.recording(admin.practiceId()));
                            record(
                                    admin,
                                    AuditEntry.of(AuditAction.AUDIT_RECORDING)
                                            .on("AuditSetting", admin.practiceId())
                                            .practice(admin.practiceId())
                                            .reason(recorded ? "enabled" : "disabled"));
                        });
    }

    /** A practice's recording setting: recorded unless an admin switched it off. */
    public record Recording(
            boolean patientAccessRecorded, java.time.Instant changedAt, UUID changedBy) {}

    /**
     * Records an INTEGRITY_FAILURE of stored data (in its own transaction) for whoever is calling
     * now: the request's actor, or nobody outside a request.
     */
    public void integrityFailure(
            String resourceType, Object resourceId, UUID patientId, UUID practiceId) {
        recordIndependently(
                currentActor().orElse(null),
                AuditEntry.of(AuditAction.INTEGRITY_FAILURE)
                        .on(resourceType, resourceId)
                        .patient(patientId)
                        .practice(practiceId)
                        .failure("integrity-check-failed"));
    }

    /**
     * Walks the whole chain and recomputes every hash ({@link AuditReader#verify}); kept here for the
     * callers that record and verify through one bean.
     */
    public ChainVerification verify() {
        return reader.verify();
    }

    private AuditRow unlinked(Actor actor, AuditEntry entry) {
        return unlinked(actor, entry, ClientAddress.current().orElse(null), RequestIds.current());
    }

    private AuditRow unlinked(Actor actor, AuditEntry entry, String sourceIp, String requestId) {
        String roles =
                actor == null || actor.roles().isEmpty()
                        ? null
                        : actor.roles().stream()
                                .map(Role::name)
                                .sorted()
                                .collect(Collectors.joining(","));
        String clientId =
                actor == null || actor.userId() != null ? null : clean(actor.clientId(), CLIENT_ID);
        UUID onBehalfOf = actor != null && actor.has(Role.PROXY) ? actor.patientId() : null;
        UUID practiceId =
                entry.practiceId() != null
                        ? entry.practiceId()
                        : actor == null ? null : actor.practiceId();
        return new AuditRow(
                0,
                clock.instant().truncatedTo(ChronoUnit.MICROS),
                actor == null ? null : actor.userId(),
                clientId,
                roles,
                onBehalfOf,
                entry.action().name(),
                entry.resourceType(),
                entry.resourceId(),
                entry.patientId(),
                practiceId,
                entry.success() ? "success" : "failure",
                entry.reasonCode(),
                clean(sourceIp, SOURCE_IP),
                clean(requestId, REQUEST_ID),
                null,
                null);
    }

    /** Journals the rows in the caller's transaction; the chainer is woken once it committed. */
    private void journal(List<AuditRow> rows) {
        chain.journal(rows);
        transactions.registerInterposedSynchronization(
                new Synchronization() {
                    @Override
                    public void beforeCompletion() {}

                    @Override
                    public void afterCompletion(int status) {
                        if (status == Status.STATUS_COMMITTED) {
                            chainer.wakeUp();
                        }
                    }
                });
    }

    /**
     * The entries waiting for this transaction's commit. The first one registers the
     * synchronization that appends them all, as the transaction's last statements.
     */
    @SuppressWarnings("unchecked")
    private List<AuditRow> pendingInThisTransaction() {
        List<AuditRow> pending = (List<AuditRow>) transactions.getResource(PENDING);
        if (pending == null) {
            List<AuditRow> rows = new ArrayList<>();
            chain.joinTransaction();
            transactions.putResource(PENDING, rows);
            transactions.registerInterposedSynchronization(
                    new Synchronization() {
                        @Override
                        public void beforeCompletion() {
                            chain.journal(rows);
                        }

                        @Override
                        public void afterCompletion(int status) {
                            if (status == Status.STATUS_COMMITTED) {
                                chainer.wakeUp();
                            } else if (!rows.isEmpty()) {
                                Log.debugf(
                                        "audit entries discarded with their transaction count=%d",
                                        rows.size());
                            }
                        }
                    });
            pending = rows;
        }
        return pending;
    }

    static Optional<Actor> currentActor() {
        var container = Arc.container();
        if (container == null || !container.requestContext().isActive()) {
            return Optional.empty();
        }
        try (var handle = container.instance(CurrentActor.class)) {
            return handle.isAvailable() ? handle.get().find() : Optional.empty();
        } catch (RuntimeException e) {
            if (e instanceof io.quarkus.security.AuthenticationException) {
                return Optional.empty(); // no identity could be established for this request
            }
            throw e; // anything else is a failure, not "nobody": it reaches the error mapper and
            // the log
        }
    }

    private static String clean(String value, Pattern pattern) {
        return value != null && pattern.matcher(value).matches() ? value : null;
    }
}
