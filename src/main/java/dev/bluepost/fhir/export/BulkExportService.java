package dev.bluepost.fhir.export;

import dev.bluepost.crypto.EnvelopeCipher;
import dev.bluepost.crypto.SealedText;
import dev.bluepost.crypto.WrappedKey;
import dev.bluepost.fhir.ExportScope;
import dev.bluepost.fhir.ExportSink;
import dev.bluepost.fhir.FhirAccessPolicy;
import dev.bluepost.fhir.FhirInteractionLog;
import dev.bluepost.fhir.FhirInteractionLog.Interaction;
import dev.bluepost.fhir.FhirJson;
import dev.bluepost.fhir.FhirRegistry;
import dev.bluepost.fhir.FhirResourceHandler;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/**
 * FHIR Bulk Data export (IG 2.0; docs/fhir.md §16, ADR 0049): the kick-off checks the request and
 * records the export, a background job streams each resource type from PostgreSQL into NDJSON files
 * stored in PostgreSQL (chunks), any instance answers the status and serves the files, and only to
 * the requester who asked; files expire after {@code bluepost.export.retention}. Who may export what
 * is {@link FhirAccessPolicy#exportScope}'s decision. Logs carry job ids and counts only.
 */
@ApplicationScoped
public class BulkExportService {

    /** The {@code _outputFormat} values accepted (all mean FHIR NDJSON). */
    static final Set<String> FORMATS =
            Set.of("application/fhir+ndjson", "application/ndjson", "ndjson");

    /** The kick-off parameters implemented; any other is refused (400), or ignored with {@code Prefer: handling=lenient}. */
    static final Set<String> PARAMETERS = Set.of("_type", "_since", "_outputFormat");

    /** {@code pg_try_advisory_xact_lock} key of the purge: "blue-exp". */
    private static final long PURGE_LOCK = 0x626c75652d657870L;

    /** What a kick-off asks: {@code group} the practice of {@code Group/{id}/$export}, null for {@code Patient/$export}. */
    public record Request(
            UUID group,
            java.util.Map<String, List<String>> parameters,
            boolean lenient,
            String requestUrl) {}

    public enum State {
        QUEUED,
        RUNNING,
        COMPLETED,
        FAILED
    }

    /** One output file of a finished export: {@code error} for the OperationOutcome file. */
    public record FileView(UUID id, String type, boolean error, long lines) {}

    /** An export as its status answers it. */
    public record ExportView(
            UUID id,
            State state,
            String progress,
            Instant transactionTime,
            String requestUrl,
            Instant expiresAt,
            UUID practiceId,
            List<FileView> files) {}

    private final DataSource dataSource;
    private final FhirRegistry registry;
    private final FhirJson json;
    private final FhirAccessPolicy policy;
    private final ManagedExecutor executor;
    private final FhirInteractionLog audit;
    private final Clock clock;
    private final BulkExportConfig config;
    private final EnvelopeCipher cipher;

    public BulkExportService(
            DataSource dataSource,
            FhirRegistry registry,
            FhirJson json,
            FhirAccessPolicy policy,
            ManagedExecutor executor,
            FhirInteractionLog audit,
            Clock clock,
            BulkExportConfig config,
            EnvelopeCipher cipher) {
        this.cipher = cipher;
        this.dataSource = dataSource;
        this.registry = registry;
        this.json = json;
        this.policy = policy;
        this.executor = executor;
        this.audit = audit;
        this.clock = clock;
        this.config = config;
    }

    /** The resource types offered to export, in the order they are written. */
    public List<String> exportableTypes() {
        return registry.all().stream()
                .filter(FhirResourceHandler::exportable)
                .map(FhirResourceHandler::type)
                .toList();
    }

    /**
     * Checks the kick-off, records the export (one audit entry) and starts it in the background.
     * Bad input is a 400 that records nothing; a requester with {@code maxConcurrent} exports queued
     * or running gets 429.
     *
     * @return the export's id
     */
    public UUID kickOff(Request request, Actor actor) {
        Optional<UUID> practice = policy.exportScope(actor, request.group());
        if (request.group() != null) {
            // a Group is a practice, whose Organization has the same id: 404 for one that does not
            // exist
            QuarkusTransaction.joiningExisting()
                    .run(
                            () -> {
                                try {
                                    registry.handler("Organization").read(request.group(), actor);
                                } catch (BluepostException e) {
                                    throw BluepostException.notFound("Group", request.group());
                                }
                            });
        }
        for (String name : request.parameters().keySet()) {
            if (!PARAMETERS.contains(name) && !request.lenient()) {
                throw BluepostException.malformed(
                        "The parameter '"
                                + name
                                + "' is not supported by this server's $export "
                                + "(supported: _type, _since, _outputFormat). Send Prefer: handling=lenient to have it ignored.");
            }
        }
        String format = single(request, "_outputFormat");
        if (format != null && !FORMATS.contains(format.trim().toLowerCase(Locale.ROOT))) {
            throw BluepostException.malformed(
                    "_outputFormat '"
                            + format
                            + "' is not supported; use application/fhir+ndjson.");
        }
        List<String> types = types(request);
        Instant since = since(single(request, "_since"));
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        String requester = actor.logId();
        boolean accepted =
                QuarkusTransaction.requiringNew()
                        .call(
                                () -> {
                                    try (Connection c = dataSource.getConnection()) {
                                        try (PreparedStatement lock =
                                                c.prepareStatement(
                                                        "select pg_advisory_xact_lock(hashtext(?))")) {
                                            lock.setString(1, "bulk-export:" + requester);
                                            lock.execute();
                                        }
                                        try (PreparedStatement count =
                                                c.prepareStatement(
                                                        "select count(*) from bulk_export where requester = ? and state in ('QUEUED', 'RUNNING') and expires_at > ?")) {
                                            count.setString(1, requester);
                                            count.setTimestamp(2, Timestamp.from(now));
                                            try (ResultSet r = count.executeQuery()) {
                                                r.next();
                                                if (r.getLong(1) >= config.maxConcurrent()) {
                                                    return false;
                                                }
                                            }
                                        }
                                        try (PreparedStatement insert =
                                                c.prepareStatement(
                                                        """
                        insert into bulk_export (id, requester, practice_id, group_id, types, since, request_url, state, progress,
                                                 transaction_time, submitted_at, heartbeat_at, expires_at, dek_kek_id, dek_wrapped)
                        values (?, ?, ?, ?, ?, ?, ?, 'QUEUED', 'Waiting to start', ?, ?, ?, ?, ?, ?)""")) {
                                            WrappedKey key = cipher.newDataKey();
                                            insert.setString(12, key.kekId());
                                            insert.setBytes(13, key.wrapped());
                                            insert.setString(2, requester);
                                            insert.setObject(1, id);
                                            insert.setObject(3, practice.orElse(null));
                                            insert.setObject(4, request.group());
                                            insert.setArray(
                                                    5, c.createArrayOf("text", types.toArray()));
                                            insert.setTimestamp(
                                                    6,
                                                    since == null ? null : Timestamp.from(since));
                                            insert.setString(7, request.requestUrl());
                                            insert.setTimestamp(8, Timestamp.from(now));
                                            insert.setTimestamp(9, Timestamp.from(now));
                                            insert.setTimestamp(10, Timestamp.from(now));
                                            insert.setTimestamp(
                                                    11,
                                                    Timestamp.from(now.plus(config.retention())));
                                            insert.executeUpdate();
                                        }
                                    }
                                    audit.record(
                                            actor,
                                            Interaction.EXPORT,
                                            "BulkExport",
                                            id,
                                            null,
                                            practice.orElse(null));
                                    return true;
                                });
        if (!accepted) {
            throw new BluepostException(
                    ErrorKind.TOO_MANY_REQUESTS,
                    "You already have "
                            + config.maxConcurrent()
                            + " exports running; wait for one to finish (or delete it) before starting another.");
        }
        Log.infof(
                "bulk export queued export=%s types=%s practice=%s actor=%s",
                id, types, practice.orElse(null), requester);
        executor.runAsync(() -> run(id, actor));
        return id;
    }

    private static String single(Request request, String name) {
        List<String> values = request.parameters().get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw BluepostException.malformed("Give " + name + " once.");
        }
        return values.get(0);
    }

    /** {@code _type}, in the server's order; every named type must be exportable (lenient: unknown ones are ignored). */
    private List<String> types(Request request) {
        List<String> exportable = exportableTypes();
        List<String> values = request.parameters().get("_type");
        if (values == null || values.isEmpty()) {
            return exportable;
        }
        Set<String> asked = new LinkedHashSet<>();
        for (String value : values) {
            for (String type : value.split(",")) {
                String name = type.trim();
                if (name.isEmpty()) {
                    continue;
                }
                if (!exportable.contains(name)) {
                    if (request.lenient()) {
                        continue;
                    }
                    throw BluepostException.malformed(
                            "_type names '"
                                    + name
                                    + "', which is not exported; the types are "
                                    + String.join(", ", exportable)
                                    + ".");
                }
                asked.add(name);
            }
        }
        if (asked.isEmpty()) {
            throw BluepostException.malformed(
                    "_type names no exported type; the types are "
                            + String.join(", ", exportable)
                            + ".");
        }
        return exportable.stream().filter(asked::contains).toList();
    }

    /** {@code _since}: a FHIR instant (date, time and zone). */
    private static Instant since(String value) {
        if (value == null) {
            return null;
        }
        try {
            InstantType instant = new InstantType(value.trim());
            if (instant.getValue() == null
                    || instant.getTimeZone() == null
                    || value.trim().length() < 20) {
                throw new IllegalArgumentException("not an instant");
            }
            return instant.getValue().toInstant();
        } catch (RuntimeException e) {
            throw BluepostException.malformed(
                    "_since must be a FHIR instant with a time zone, e.g. 2026-01-31T08:00:00Z.");
        }
    }

    /** The export, if {@code actor} asked for it and it has not expired or been deleted (404 otherwise). */
    public ExportView status(UUID id, Actor actor) {
        ExportView view = find(id, actor.logId());
        if (view == null) {
            throw BluepostException.notFound("export", id);
        }
        return view;
    }

    /** Cancels a running export or deletes a finished one with its files (one audit entry); 404 unless the requester's. */
    public void delete(UUID id, Actor actor) {
        ExportView view = status(id, actor);
        QuarkusTransaction.requiringNew()
                .run(
                        () -> {
                            update("delete from bulk_export where id = ?", id);
                            audit.record(
                                    actor,
                                    Interaction.DELETE,
                                    "BulkExport",
                                    id,
                                    null,
                                    view.practiceId());
                        });
        Log.infof(
                "bulk export deleted export=%s state=%s actor=%s", id, view.state(), actor.logId());
    }

    /** The file, if it belongs to a completed export of the requester's (404 otherwise); audited as a download. */
    public FileView file(UUID exportId, UUID fileId, Actor actor) {
        ExportView view = status(exportId, actor);
        FileView file =
                view.state() == State.COMPLETED
                        ? view.files().stream()
                                .filter(f -> f.id().equals(fileId))
                                .findFirst()
                                .orElse(null)
                        : null;
        if (file == null) {
            throw BluepostException.notFound("export file", fileId);
        }
        audit.record(
                actor, Interaction.DOWNLOAD, "BulkExportFile", fileId, null, view.practiceId());
        return file;
    }

    /** Writes a file's NDJSON to {@code out}, one stored chunk at a time, each opened (and verified) as it is read. */
    public void write(UUID fileId, OutputStream out) throws IOException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s =
                    c.prepareStatement(
                            """
                    select e.dek_kek_id, e.dek_wrapped, k.seq, k.iv, k.data, k.sha256 from bulk_export_chunk k
                    join bulk_export_file f on f.id = k.file_id join bulk_export e on e.id = f.export_id
                    where k.file_id = ? order by k.seq""")) {
                s.setObject(1, fileId);
                s.setFetchSize(1);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        WrappedKey key = new WrappedKey(r.getString(1), r.getBytes(2));
                        int seq = r.getInt(3);
                        out.write(
                                cipher.open(
                                        key,
                                        new SealedText(r.getBytes(4), r.getBytes(5), r.getBytes(6)),
                                        chunkAad(fileId, seq),
                                        "chunk " + seq + " of export file " + fileId));
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IOException("export file not read", e);
        }
    }

    /** Thrown inside a running export once its row is gone (deleted by its requester): the job stops. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    /**
     * Runs the export: each type's resources streamed by its handler into one NDJSON file (written
     * in chunks as it goes), what could not be exported into an OperationOutcome file. Never throws.
     */
    void run(UUID id, Actor requester) {
        long started = System.nanoTime();
        try (Connection writer = dataSource.getConnection()) {
            writer.setAutoCommit(true);
            ExportView view = find(id, requester.logId());
            if (view == null) {
                return;
            }
            Instant transactionTime = clock.instant();
            List<String> types;
            Instant since;
            try (PreparedStatement s =
                    writer.prepareStatement("select types, since from bulk_export where id = ?")) {
                s.setObject(1, id);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return;
                    }
                    types = List.of((String[]) r.getArray(1).getArray());
                    Timestamp t = r.getTimestamp(2);
                    since = t == null ? null : t.toInstant();
                }
            }
            WrappedKey key;
            try (PreparedStatement s =
                    writer.prepareStatement(
                            "select dek_kek_id, dek_wrapped from bulk_export where id = ?")) {
                s.setObject(1, id);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return;
                    }
                    key = new WrappedKey(r.getString(1), r.getBytes(2));
                }
            }
            if (update(
                            writer,
                            "update bulk_export set state = 'RUNNING', transaction_time = ?, heartbeat_at = ? where id = ?",
                            Timestamp.from(transactionTime),
                            Timestamp.from(clock.instant()),
                            id)
                    == 0) {
                return;
            }
            ExportScope scope =
                    new ExportScope(view.practiceId(), since, config.fetchSize(), requester);
            Output errors = new Output(writer, key, id, "OperationOutcome", true);
            int position = 0;
            long total = 0;
            for (String type : types) {
                FhirResourceHandler<Resource> handler = registry.handler(type);
                Output output = new Output(writer, key, id, type, false);
                output.open(++position);
                long before = total;
                handler.export(
                        scope,
                        new ExportSink<>() {
                            @Override
                            public void accept(Resource resource) {
                                output.line(json.write(resource), type);
                            }

                            @Override
                            public void problem(String diagnostics) {
                                if (errors.fileId == null) {
                                    errors.open(1000);
                                }
                                OperationOutcome outcome = new OperationOutcome();
                                outcome.addIssue()
                                        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                                        .setCode(OperationOutcome.IssueType.PROCESSING)
                                        .setDiagnostics(diagnostics);
                                errors.line(json.write(outcome), type);
                            }
                        });
                output.finish();
                total = before + output.lines;
            }
            errors.finish();
            Instant finished = clock.instant();
            update(
                    writer,
                    "update bulk_export set state = 'COMPLETED', progress = ?, finished_at = ?, heartbeat_at = ?, expires_at = ? "
                            + "where id = ?",
                    "Complete: " + total + " resources",
                    Timestamp.from(finished),
                    Timestamp.from(finished),
                    Timestamp.from(finished.plus(config.retention())),
                    id);
            Log.infof(
                    "bulk export completed export=%s resources=%d ms=%d",
                    id, total, (System.nanoTime() - started) / 1_000_000);
        } catch (Cancelled e) {
            Log.infof("bulk export stopped: deleted by its requester export=%s", id);
        } catch (RuntimeException | SQLException e) {
            // a deleted export's job fails on its next write (its rows are gone): that is a cancel
            if (find(id, requester.logId()) == null) {
                Log.infof("bulk export stopped: deleted by its requester export=%s", id);
                return;
            }
            Log.errorf("bulk export failed export=%s error=%s", id, e.getClass().getSimpleName());
            try {
                update(
                        "update bulk_export set state = 'FAILED', progress = 'Failed', finished_at = ? where id = ?",
                        Timestamp.from(clock.instant()),
                        id);
            } catch (RuntimeException ignored) {
                Log.warnf("bulk export failure not recorded export=%s", id);
            }
        }
    }

    /** One NDJSON output file being written: lines gathered up to {@code chunkSize}, then stored as one chunk. */
    private final class Output {
        private final Connection writer;
        private final WrappedKey key;
        private final UUID exportId;
        private final String type;
        private final boolean error;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
        private UUID fileId;
        private int seq;
        private long lines;
        private long bytes;

        Output(Connection writer, WrappedKey key, UUID exportId, String type, boolean error) {
            this.writer = writer;
            this.key = key;
            this.exportId = exportId;
            this.type = type;
            this.error = error;
        }

        void open(int position) {
            fileId = UUID.randomUUID();
            update(
                    writer,
                    "insert into bulk_export_file (id, export_id, type, position, is_error) values (?, ?, ?, ?, ?)",
                    fileId,
                    exportId,
                    type,
                    position,
                    error);
        }

        void line(String text, String ofType) {
            byte[] line = text.getBytes(StandardCharsets.UTF_8);
            buffer.write(line, 0, line.length);
            buffer.write('\n');
            lines++;
            if (buffer.size() >= config.chunkSize().asLongValue()) {
                flush(ofType);
            }
        }

        void flush(String ofType) {
            if (buffer.size() == 0) {
                return;
            }
            byte[] data = buffer.toByteArray();
            buffer.reset();
            bytes += data.length;
            SealedText sealed = cipher.seal(key, data, chunkAad(fileId, seq));
            update(
                    writer,
                    "insert into bulk_export_chunk (file_id, seq, iv, data, sha256) values (?, ?, ?, ?, ?)",
                    fileId,
                    seq++,
                    sealed.iv(),
                    sealed.ciphertext(),
                    sealed.sha256());
            update(
                    writer,
                    "update bulk_export_file set lines = ?, bytes = ? where id = ?",
                    lines,
                    bytes,
                    fileId);
            if (update(
                            writer,
                            "update bulk_export set progress = ?, heartbeat_at = ? where id = ? and state = 'RUNNING'",
                            "Writing "
                                    + ofType
                                    + ": "
                                    + lines
                                    + (error ? " problems" : " resources"),
                            Timestamp.from(clock.instant()),
                            exportId)
                    == 0) {
                throw new Cancelled();
            }
        }

        void finish() {
            if (fileId == null) {
                return;
            }
            flush(type);
            if (lines == 0) {
                update(
                        writer,
                        "delete from bulk_export_file where id = ?",
                        fileId); // the IG: no file for a type without resources
            }
        }
    }

    /**
     * Purges expired exports (their files go with them) and fails exports whose job stopped writing
     * (its instance stopped). One instance at a time (advisory lock); deleting twice is harmless.
     *
     * @return how many exports were purged
     */
    public int purge() {
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew()
                .call(
                        () -> {
                            try (Connection c = dataSource.getConnection()) {
                                try (PreparedStatement lock =
                                        c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
                                    lock.setLong(1, PURGE_LOCK);
                                    try (ResultSet r = lock.executeQuery()) {
                                        if (!r.next() || !r.getBoolean(1)) {
                                            return 0; // another instance is at it
                                        }
                                    }
                                }
                                int stale =
                                        update(
                                                c,
                                                "update bulk_export set state = 'FAILED', progress = 'Interrupted', finished_at = ? "
                                                        + "where state in ('QUEUED', 'RUNNING') and heartbeat_at < ?",
                                                Timestamp.from(now),
                                                Timestamp.from(now.minus(config.staleAfter())));
                                int purged =
                                        update(
                                                c,
                                                "delete from bulk_export where expires_at <= ?",
                                                Timestamp.from(now));
                                if (purged + stale > 0) {
                                    Log.infof(
                                            "bulk exports purged expired=%d interrupted=%d",
                                            purged, stale);
                                }
                                return purged;
                            }
                        });
    }

    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            identity = "bulk-export-purge",
            every = "{bluepost.export.purge-interval}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeOnSchedule() {
        purge();
    }

    /** Binds a sealed chunk to its file and place: moved to another row, it does not open. */
    private static byte[] chunkAad(UUID fileId, int seq) {
        return ("bulk-export-chunk:" + fileId + ":" + seq).getBytes(StandardCharsets.UTF_8);
    }

    private ExportView find(UUID id, String requester) {
        try (Connection c = dataSource.getConnection()) {
            ExportView view;
            try (PreparedStatement s =
                    c.prepareStatement(
                            """
                    select state, progress, transaction_time, request_url, expires_at, practice_id from bulk_export
                    where id = ? and requester = ? and expires_at > ?""")) {
                s.setObject(1, id);
                s.setString(2, requester);
                s.setTimestamp(3, Timestamp.from(clock.instant()));
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return null;
                    }
                    view =
                            new ExportView(
                                    id,
                                    State.valueOf(r.getString(1)),
                                    r.getString(2),
                                    r.getTimestamp(3).toInstant(),
                                    r.getString(4),
                                    r.getTimestamp(5).toInstant(),
                                    r.getObject(6, UUID.class),
                                    new ArrayList<>());
                }
            }
            try (PreparedStatement s =
                    c.prepareStatement(
                            "select id, type, is_error, lines from bulk_export_file where export_id = ? order by position")) {
                s.setObject(1, id);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        view.files()
                                .add(
                                        new FileView(
                                                r.getObject(1, UUID.class),
                                                r.getString(2),
                                                r.getBoolean(3),
                                                r.getLong(4)));
                    }
                }
            }
            return view;
        } catch (SQLException e) {
            throw new IllegalStateException("export not read", e);
        }
    }

    private int update(String sql, Object... values) {
        try (Connection c = dataSource.getConnection()) {
            return update(c, sql, values);
        } catch (SQLException e) {
            throw new IllegalStateException("export not updated", e);
        }
    }

    private static int update(Connection c, String sql, Object... values) {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("export not written", e);
        }
    }
}
