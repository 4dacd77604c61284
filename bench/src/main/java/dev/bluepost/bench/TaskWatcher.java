package dev.bluepost.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Observes when a row that follows each accepted message exists — by default its triage Task
 * ({@link #tasks}), or the first automatic reply in its thread ({@link #autoReplies}): one indexed query every
 * {@code pollMillis} over the unique {@code triage_item.message_id} for the messages still waiting,
 * on one JDBC connection of its own. "Exists" = the row is visible (committed) to a query that
 * started at time t; the latency recorded is t − (time the driver received the 201), so it
 * over-states the true latency by at most one poll interval. The row's {@code created_at} (set by
 * the application just before its triage transaction commits) gives a second, lower estimate.
 */
final class TaskWatcher implements Runnable {

    /** A message whose 201 the driver has seen. */
    record Pending(StepRun step, long okNanos, long okWallMicros) {}

    /** Where a watcher reports a row it saw: observed = poll start − 201, createdAt = row's created_at − 201 (µs). */
    interface Sink {
        void seen(StepRun step, long observedNanos, long createdAtMicros, long atNanos);
    }

    /**
     * At most this many ids per poll: under a backlog the watcher must not become the database's
     * largest load itself (each pending id costs index lookups on every poll).
     */
    private static final int MAX_IDS_PER_QUERY = 2_000;

    /** The automatic-reply watcher polls at most this often: its join costs more per id than the Task lookup. */
    private static final long AUTO_REPLY_MIN_POLL_MILLIS = 250;

    private static final String TASKS =
            "select message_id, created_at from triage_item where message_id = any(?)";

    /** The first automatic message (rule reply: thank-you, acknowledgement, emergency, refill policy…) in the message's thread. */
    private static final String AUTO_REPLIES =
            "select m.id, min(r.created_at) from message m"
                    + " join message r on r.thread_id = m.thread_id and r.automatic and r.created_at >= m.created_at"
                    + " where m.id = any(?) group by m.id";

    private final String sql;
    private final Sink sink;
    private final String name;

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final long pollMillis;
    private final Map<UUID, Pending> pending = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile long queries;
    private volatile long queryNanos;
    private Thread thread;

    static TaskWatcher tasks(String jdbcUrl, String user, String password, long pollMillis) {
        return new TaskWatcher(
                "task-watcher", TASKS, StepRun::taskSeen, jdbcUrl, user, password, pollMillis);
    }

    static TaskWatcher autoReplies(String jdbcUrl, String user, String password, long pollMillis) {
        return autoReplies(jdbcUrl, user, password, pollMillis, AUTO_REPLY_MIN_POLL_MILLIS);
    }

    /** With the minimum poll interval given: the red-flag probes watch their few messages every 10 ms. */
    static TaskWatcher autoReplies(
            String jdbcUrl, String user, String password, long pollMillis, long minPollMillis) {
        return new TaskWatcher(
                "auto-reply-watcher",
                AUTO_REPLIES,
                StepRun::autoReplySeen,
                jdbcUrl,
                user,
                password,
                Math.max(pollMillis, minPollMillis));
    }

    private TaskWatcher(
            String name,
            String sql,
            Sink sink,
            String jdbcUrl,
            String user,
            String password,
            long pollMillis) {
        this.name = name;
        this.sql = sql;
        this.sink = sink;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.pollMillis = pollMillis;
    }

    void start() {
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(5_000);
        }
    }

    void expect(UUID messageId, Pending p) {
        pending.put(messageId, p);
    }

    int pendingCount() {
        return pending.size();
    }

    long pendingOf(StepRun step) {
        return pending.values().stream().filter(p -> p.step() == step).count();
    }

    long queries() {
        return queries;
    }

    double meanQueryMillis() {
        return queries == 0 ? 0 : queryNanos / 1e6 / queries;
    }

    @Override
    public void run() {
        try (Connection con = DriverManager.getConnection(jdbcUrl, user, password);
                PreparedStatement query = con.prepareStatement(sql)) {
            con.setAutoCommit(true);
            while (running) {
                Thread.sleep(pollMillis);
                if (pending.isEmpty()) {
                    continue;
                }
                List<UUID> ids = new ArrayList<>(Math.min(pending.size(), MAX_IDS_PER_QUERY));
                for (UUID id : pending.keySet()) {
                    ids.add(id);
                    if (ids.size() == MAX_IDS_PER_QUERY) {
                        break;
                    }
                }
                Array array = con.createArrayOf("uuid", ids.toArray());
                query.setArray(1, array);
                long started = System.nanoTime(); // the query's snapshot is taken at its start
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        UUID id = rows.getObject(1, UUID.class);
                        OffsetDateTime created = rows.getObject(2, OffsetDateTime.class);
                        Pending p = pending.remove(id);
                        if (p == null) {
                            continue;
                        }
                        long createdMicros =
                                created.toEpochSecond() * 1_000_000L + created.getNano() / 1_000;
                        sink.seen(
                                p.step(),
                                started - p.okNanos(),
                                createdMicros - p.okWallMicros(),
                                started);
                    }
                }
                array.free();
                queryNanos += System.nanoTime() - started;
                queries++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            System.err.println(name + " failed: " + e);
            e.printStackTrace();
        }
    }
}
