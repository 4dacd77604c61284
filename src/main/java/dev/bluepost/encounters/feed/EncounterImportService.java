package dev.bluepost.encounters.feed;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.encounters.EncounterReferences;
import dev.bluepost.encounters.feed.EncounterFeed.Failure;
import dev.bluepost.encounters.feed.EncounterFeed.Line;
import dev.bluepost.encounters.feed.EncounterFeed.Outcome;
import dev.bluepost.encounters.feed.EncounterFeed.Prepared;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.i18n.Language;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * Bulk NDJSON import of FHIR Encounters as a job: the upload is streamed to a file under the data
 * directory (never held in memory, refused beyond {@code bluepost.encounter-import.max-bytes}),
 * a job row is written, and a managed executor reads the file line by line, a chunk at a time
 * through {@link EncounterFeed}, bringing the job's counts up to date after every chunk. A bad
 * line is recorded with its number and reason (in English, with its {@link LineProblem} code and values for the
 * page to word in its reader's language); the others load. A job the server was running when
 * it stopped is marked {@code INTERRUPTED} at the next start (importing the file again is safe:
 * the import is idempotent by {@code Encounter.identifier}).
 */
@ApplicationScoped
public class EncounterImportService {

    /** Where a job came from. */
    public enum Source {
        PAGE,
        FHIR
    }

    /** Line-level errors kept per job (all are counted). */
    static final int MAX_STORED_ERRORS = 10_000;

    /**
     * A line not loaded: its English reason as stored (what the JSON status answers) and, for a line stored with
     * one, its problem's code and values, to word it in the reader's language.
     */
    public record LineError(long line, String reason, LineProblem problem, List<String> values) {

        /** The reason in a language: the problem's words where it has a code, else the reason as stored. */
        public String in(Language language) {
            return problem == null
                    ? reason
                    : problem.words(language.messages(EncounterImportMessages.class), values);
        }
    }

    /** A line not loaded, as the JSON status answers it. */
    public record LineReason(long line, String reason) {}

    /** A job as the page and the status endpoints show it. */
    public record JobView(
            UUID id,
            Source source,
            String state,
            String fileName,
            long bytes,
            long bytesRead,
            int linesRead,
            int loaded,
            int created,
            int updated,
            int unchanged,
            int failed,
            String failure,
            Instant submittedAt,
            Instant startedAt,
            Instant finishedAt,
            List<LineError> errors) {

        public boolean finished() {
            return !state.equals("QUEUED") && !state.equals("RUNNING");
        }

        public int percent() {
            return finished() ? 100 : bytes == 0 ? 0 : (int) Math.min(99, bytesRead * 100 / bytes);
        }
    }

    /** A job as the JSON status endpoints answer it. */
    public record JobStatus(
            UUID id,
            String source,
            String state,
            boolean finished,
            int percent,
            String fileName,
            long bytes,
            long bytesRead,
            int linesRead,
            int loaded,
            int created,
            int updated,
            int unchanged,
            int failed,
            String failure,
            Instant submittedAt,
            Instant startedAt,
            Instant finishedAt,
            List<LineReason> errors) {

        public static JobStatus of(JobView j) {
            return new JobStatus(
                    j.id(),
                    j.source().name(),
                    j.state(),
                    j.finished(),
                    j.percent(),
                    j.fileName(),
                    j.bytes(),
                    j.bytesRead(),
                    j.linesRead(),
                    j.loaded(),
                    j.created(),
                    j.updated(),
                    j.unchanged(),
                    j.failed(),
                    j.failure(),
                    j.submittedAt(),
                    j.startedAt(),
                    j.finishedAt(),
                    j.errors().stream().map(e -> new LineReason(e.line(), e.reason())).toList());
        }
    }

    private final DataSource dataSource;
    private final EncounterFeed feed;
    private final ManagedExecutor executor;
    private final AuditRecorder audit;
    private final Clock clock;
    private final long maxBytes;
    private final int chunkLines;
    private final boolean recoverAtStart;
    private final Path directory;

    public EncounterImportService(
            DataSource dataSource,
            EncounterFeed feed,
            ManagedExecutor executor,
            AuditRecorder audit,
            Clock clock,
            EncounterImportConfig config,
            @ConfigProperty(name = "bluepost.data-dir") String dataDir) {
        this.dataSource = dataSource;
        this.feed = feed;
        this.executor = executor;
        this.audit = audit;
        this.clock = clock;
        this.maxBytes = config.maxBytes().asLongValue();
        this.chunkLines = config.chunkLines();
        this.recoverAtStart = config.recoverAtStart();
        this.directory = Path.of(dataDir, "encounter-imports");
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Jobs left queued or running by a server that stopped are marked interrupted; their files are
     * removed, and the encounters they stored are counted in the measure aggregates (in the
     * background: a report would count them anyway). Not in an operator command
     * ({@code bluepost.encounter-import.recover-at-start}), which may run beside a running server.
     */
    void onStart(@Observes StartupEvent event) {
        if (!recoverAtStart) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                """
                     update encounter_import_job set state = 'INTERRUPTED', finished_at = ?,
                        failure = 'The server stopped while this import ran. Import the file again: lines already loaded are not duplicated.'
                     where state in ('QUEUED', 'RUNNING') returning id""")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    UUID id = r.getObject(1, UUID.class);
                    Files.deleteIfExists(file(id));
                    Log.warnf("encounter import interrupted by a restart job=%s", id);
                }
            }
        } catch (SQLException | IOException e) {
            Log.warnf(
                    "encounter import jobs not checked at start-up (%s)",
                    e.getClass().getSimpleName());
        }
        executor.runAsync(
                () -> {
                    try {
                        int refreshed = feed.catchUp();
                        if (refreshed > 0) {
                            Log.infof(
                                    "measure aggregates refreshed after start-up encounters=%d",
                                    refreshed);
                        }
                    } catch (RuntimeException e) {
                        Log.warnf(
                                "stale measure aggregates not refreshed after start-up (reports refresh them before reading)");
                    }
                });
    }

    /**
     * Streams the upload to disk, records the job and starts it in the background.
     *
     * @return the job id
     */
    public UUID submit(InputStream body, String fileName, Source source, Actor actor) {
        UUID practice = null;
        if (!seesEveryPractice(actor)) {
            if (actor.practiceId() == null) {
                throw BluepostException.said(
                        ErrorKind.FORBIDDEN,
                        EncounterImportMessages.class,
                        EncounterImportMessages::import_not_allowed);
            }
            practice = actor.practiceId();
        }
        UUID id = UUID.randomUUID();
        Path file = file(id);
        long bytes;
        try {
            Files.createDirectories(directory);
            bytes = copyLimited(body, file);
        } catch (IOException e) {
            delete(file);
            throw new IllegalStateException("the upload could not be stored", e);
        }
        if (bytes < 0) {
            delete(file);
            throw tooLarge(maxBytes);
        }
        String name = fileName == null ? null : fileName.replaceAll("[^A-Za-z0-9._ -]", "_");
        String shortName = name == null ? null : name.substring(0, Math.min(name.length(), 120));
        UUID practiceId = practice;
        QuarkusTransaction.requiringNew()
                .run(
                        () -> {
                            try (Connection c = dataSource.getConnection();
                                    PreparedStatement s =
                                            c.prepareStatement(
                                                    """
                         insert into encounter_import_job (id, source, state, file_name, bytes, requested_by, practice_id, submitted_at)
                         values (?, ?, 'QUEUED', ?, ?, ?, ?, ?)""")) {
                                s.setObject(1, id);
                                s.setString(2, source.name());
                                s.setString(3, shortName);
                                s.setLong(4, bytes);
                                s.setString(5, actor.logId());
                                s.setObject(6, practiceId);
                                s.setTimestamp(7, Timestamp.from(clock.instant()));
                                s.executeUpdate();
                            } catch (SQLException e) {
                                throw new IllegalStateException("import job not recorded", e);
                            }
                            audit.record(
                                    actor,
                                    AuditEntry.of(AuditAction.CREATE)
                                            .on("EncounterImport", id)
                                            .practice(practiceId));
                        });
        Log.infof(
                "encounter import queued job=%s source=%s bytes=%d actor=%s",
                id, source, bytes, actor.logId());
        executor.runAsync(() -> run(id, practiceId));
        return id;
    }

    /** The refusal of a file larger than {@code maxBytes}. */
    static BluepostException tooLarge(long maxBytes) {
        long megabytes = maxBytes / (1024 * 1024);
        return BluepostException.said(
                        ErrorKind.PAYLOAD_TOO_LARGE,
                        EncounterImportMessages.class,
                        m -> m.import_too_large(megabytes))
                .about("files");
    }

    /** The job with its line errors, if the actor may see it: a system client every job, staff their practice's. */
    public JobView job(UUID id, Actor actor) {
        JobRow row = find(id);
        if (row == null || !maySee(row.practiceId(), actor)) {
            throw BluepostException.notFound("EncounterImport", id);
        }
        return row.view();
    }

    /** The latest jobs the actor may see, without their line errors. */
    public List<JobView> recent(Actor actor) {
        String where = seesEveryPractice(actor) ? "" : "where practice_id = ?";
        List<JobView> jobs = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                SELECT + where + " order by submitted_at desc limit 20")) {
            if (!where.isEmpty()) {
                s.setObject(1, actor.practiceId());
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    jobs.add(row(r, List.of()).view());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("import jobs not read", e);
        }
        return jobs;
    }

    private static boolean maySee(UUID practiceOfJob, Actor actor) {
        return seesEveryPractice(actor)
                || (practiceOfJob != null && practiceOfJob.equals(actor.practiceId()));
    }

    /** System clients and an admin of no particular practice import for, and see the jobs of, every practice. */
    private static boolean seesEveryPractice(Actor actor) {
        return actor.isSystem() || (actor.has(Role.ADMIN) && actor.practiceId() == null);
    }

    private static final String SELECT =
            """
            select id, source, state, file_name, bytes, bytes_read, lines_read, loaded, created, updated, unchanged, failed,
                   failure, submitted_at, started_at, finished_at, practice_id from encounter_import_job\s""";

    private record JobRow(JobView view, UUID practiceId) {}

    private JobRow find(UUID id) {
        try (Connection c = dataSource.getConnection()) {
            List<LineError> errors = new ArrayList<>();
            try (PreparedStatement s =
                    c.prepareStatement(
                            "select line_number, reason, code, params from encounter_import_error where job_id = ? order by line_number limit 1000")) {
                s.setObject(1, id);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        java.sql.Array params = r.getArray(4);
                        List<String> values =
                                params == null ? List.of() : List.of((String[]) params.getArray());
                        errors.add(
                                new LineError(
                                        r.getLong(1),
                                        r.getString(2),
                                        LineProblem.of(r.getString(3)).orElse(null),
                                        values));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(SELECT + "where id = ?")) {
                s.setObject(1, id);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? row(r, errors) : null;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("import job not read", e);
        }
    }

    private static JobRow row(ResultSet r, List<LineError> errors) throws SQLException {
        return new JobRow(
                new JobView(
                        r.getObject(1, UUID.class),
                        Source.valueOf(r.getString(2)),
                        r.getString(3),
                        r.getString(4),
                        r.getLong(5),
                        r.getLong(6),
                        r.getInt(7),
                        r.getInt(8),
                        r.getInt(9),
                        r.getInt(10),
                        r.getInt(11),
                        r.getInt(12),
                        r.getString(13),
                        instant(r, 14),
                        instant(r, 15),
                        instant(r, 16),
                        errors),
                r.getObject(17, UUID.class));
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        Timestamp t = r.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /** A chunk being prepared, and where it ends in the file (for the progress once it is stored). */
    private record Pending(CompletableFuture<Prepared> prepared, long linesRead, long bytesRead) {}

    /**
     * Reads the job's file a chunk of lines at a time, pipelined: while one chunk is written, the
     * next is parsed, checked and mapped on another thread (and on all cores within it), so the
     * database and the Java side work at the same time. Chunks are stored in file order (the last
     * line for an identifier wins), each in its own transaction; never throws.
     */
    void run(UUID id, UUID onlyPractice) {
        Path file = file(id);
        Pending pending = null;
        long started = System.nanoTime();
        try {
            update(
                    "update encounter_import_job set state = 'RUNNING', started_at = ? where id = ?",
                    Timestamp.from(clock.instant()),
                    id);
            EncounterReferences.Batch references = feed.references();
            Set<String> memberships = new HashSet<>();
            int stored = 0;
            try (CountingInputStream counted = new CountingInputStream(Files.newInputStream(file));
                    BufferedReader reader =
                            new BufferedReader(
                                    new InputStreamReader(
                                            counted,
                                            StandardCharsets.UTF_8
                                                    .newDecoder()
                                                    .onMalformedInput(CodingErrorAction.REPLACE)
                                                    .onUnmappableCharacter(
                                                            CodingErrorAction.REPLACE)),
                                    1 << 16)) {
                long number = 0;
                boolean end = false;
                while (!end) {
                    List<Line> chunk = new ArrayList<>(chunkLines);
                    while (chunk.size() < chunkLines) {
                        String text = reader.readLine();
                        if (text == null) {
                            end = true;
                            break;
                        }
                        number++;
                        if (!text.isBlank()) {
                            chunk.add(new Line(number, text));
                        }
                    }
                    // the previous chunk's preparation finishes before this one's starts (they
                    // share the Batch) …
                    Prepared previous = pending == null ? null : pending.prepared().join();
                    Pending next = null;
                    if (!chunk.isEmpty()) {
                        next =
                                new Pending(
                                        executor.supplyAsync(
                                                () ->
                                                        feed.prepare(
                                                                chunk, references, onlyPractice)),
                                        number,
                                        end ? Long.MAX_VALUE : counted.count());
                    }
                    // … and is written while this one is prepared
                    if (previous != null) {
                        stored = store(id, previous, pending, memberships, stored);
                    }
                    pending = next;
                    if (end && pending == null) {
                        progress(
                                id,
                                new Outcome(0, 0, 0, List.of()),
                                number,
                                Long.MAX_VALUE,
                                stored);
                    }
                }
                if (pending != null) {
                    Pending last = pending;
                    pending = null;
                    store(id, last.prepared().join(), last, memberships, stored);
                }
            }
            refreshAggregates(id);
            update(
                    "update encounter_import_job set state = 'COMPLETED', finished_at = ? where id = ?",
                    Timestamp.from(clock.instant()),
                    id);
            Log.infof(
                    "encounter import completed job=%s ms=%d",
                    id, (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            Throwable cause =
                    e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            Log.errorf("encounter import failed job=%s error=%s", id, cause.getClass().getName());
            if (pending != null) {
                pending.prepared().cancel(false);
            }
            try {
                refreshAggregates(id);
            } catch (RuntimeException again) {
                Log.errorf(
                        "encounter import aggregates not refreshed job=%s (reports refresh them before reading)",
                        id);
            }
            try {
                update(
                        "update encounter_import_job set state = 'FAILED', finished_at = ?, failure = ? where id = ?",
                        Timestamp.from(clock.instant()),
                        "The import stopped on an internal error; lines loaded before it stay loaded. "
                                + "Import the file again to finish it.",
                        id);
            } catch (RuntimeException again) {
                Log.errorf("encounter import state not recorded job=%s", id);
            }
        } finally {
            delete(file);
        }
    }

    /**
     * The chunks were stored with the measure aggregates' refresh deferred: one set-based refresh
     * of the job's encounters now, as a single {@code COPY} statement gets (ADR 0031).
     */
    private void refreshAggregates(UUID id) {
        long started = System.nanoTime();
        int refreshed = feed.catchUp();
        Log.debugf(
                "encounter import aggregates refreshed job=%s encounters=%d ms=%d",
                id, refreshed, (System.nanoTime() - started) / 1_000_000);
    }

    /** Stores a prepared chunk and records the progress; returns how many errors are stored. */
    private int store(
            UUID id, Prepared prepared, Pending chunk, Set<String> memberships, int storedErrors) {
        return progress(
                id,
                store(prepared, memberships),
                chunk.linesRead(),
                chunk.bytesRead(),
                storedErrors);
    }

    /**
     * One prepared chunk; when the database refuses the chunk as a whole (say, a directory entry
     * deleted meanwhile), each row is stored on its own so that only the offending lines fail.
     */
    private Outcome store(Prepared prepared, Set<String> memberships) {
        try {
            return feed.store(prepared, memberships, true);
        } catch (RuntimeException chunkFailed) {
            Log.warnf(
                    "encounter import chunk refused, storing line by line error=%s",
                    chunkFailed.getClass().getSimpleName());
            int created = 0, updated = 0, unchanged = prepared.superseded();
            List<Failure> failures = new ArrayList<>(prepared.failures());
            for (EncounterFeed.Ready row : prepared.rows()) {
                try {
                    Outcome one = feed.store(prepared.only(row), memberships, true);
                    created += one.created();
                    updated += one.updated();
                    unchanged += one.unchanged();
                } catch (RuntimeException e) {
                    failures.add(Failure.of(row.line(), LineProblem.DATABASE_REFUSED));
                }
            }
            failures.sort(Comparator.comparingLong(Failure::line));
            return new Outcome(created, updated, unchanged, failures);
        }
    }

    /** Adds a chunk's counts and line errors to the job; returns how many errors are stored. */
    private int progress(
            UUID id, Outcome outcome, long linesRead, long bytesRead, int storedErrors) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s =
                    c.prepareStatement(
                            """
                    update encounter_import_job set lines_read = ?, bytes_read = least(bytes, ?), loaded = loaded + ?, created = created + ?,
                        updated = updated + ?, unchanged = unchanged + ?, failed = failed + ? where id = ?""")) {
                s.setLong(1, linesRead);
                s.setLong(2, bytesRead);
                s.setInt(3, outcome.loaded());
                s.setInt(4, outcome.created());
                s.setInt(5, outcome.updated());
                s.setInt(6, outcome.unchanged());
                s.setInt(7, outcome.failures().size());
                s.setObject(8, id);
                s.executeUpdate();
            }
            int stored = storedErrors;
            try (PreparedStatement s =
                    c.prepareStatement(
                            "insert into encounter_import_error (job_id, line_number, reason, code, params) values (?, ?, ?, ?, ?) on conflict do nothing")) {
                for (Failure failure : outcome.failures()) {
                    if (stored >= MAX_STORED_ERRORS) {
                        break;
                    }
                    s.setObject(1, id);
                    s.setLong(2, failure.line());
                    s.setString(3, failure.reason());
                    s.setString(4, failure.problem() == null ? null : failure.problem().name());
                    s.setArray(
                            5,
                            failure.problem() == null
                                    ? null
                                    : c.createArrayOf("text", failure.values().toArray()));
                    s.addBatch();
                    stored++;
                }
                s.executeBatch();
            }
            c.commit();
            return stored;
        } catch (SQLException e) {
            throw new IllegalStateException("import progress not recorded", e);
        }
    }

    private void update(String sql, Object... values) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("import job not updated", e);
        }
    }

    /** Copies at most {@link #maxBytes}; -1 when the body is larger. */
    private long copyLimited(InputStream in, Path file) throws IOException {
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > maxBytes) {
                    return -1;
                }
                out.write(buffer, 0, n);
            }
        }
        return total;
    }

    private Path file(UUID id) {
        return directory.resolve(id + ".ndjson");
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            Log.warnf("import file not deleted file=%s", file.getFileName());
        }
    }

    /** Counts the bytes read, for the progress bar. */
    private static final class CountingInputStream extends FilterInputStream {

        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
