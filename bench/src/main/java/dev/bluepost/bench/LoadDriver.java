package dev.bluepost.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load driver: loads a practice with N patients through the FHIR API, logs in a share of
 * them as a patient app would ({@link PatientTokens}: form sign-in, consent, authorization code with
 * PKCE), then sends patients' messages with each patient's own token ({@code POST /fhir/Communication},
 * 2 KB text, to the practice's pool) at fixed arrival rates that step up, and measures per step the
 * achieved rate, 201 latency, "201 → Task exists" latency, errors, RSS and CPU. Finally it runs
 * pgbench's 2-insert transaction on the same PostgreSQL and prints our rate as a ratio of it.
 *
 * <p>Configuration: system properties {@code bench.*} (bench/run.sh sets them; see {@link Config}).
 */
public final class LoadDriver {

    private static final String CATEGORY_SYSTEM =
            "https://fhir.bluepost.dev/CodeSystem/message-category";

    record Config(
            String baseUrl,
            String clientId,
            String clientSecret,
            String jdbcUrl,
            String dbUser,
            String dbPassword,
            String pgHost,
            int pgPort,
            String pgDatabase,
            long appPid,
            long kafkaPid,
            int patients,
            int bundleSize,
            int[] rates,
            int stepSeconds,
            int warmupRate,
            int warmupSeconds,
            int bodyBytes,
            int maxInFlight,
            long pollMillis,
            int drainSeconds,
            int pgbenchClients,
            int pgbenchSeconds,
            int pgbenchRuns,
            boolean returnMinimal,
            Path out) {

        static Config fromSystemProperties() {
            return new Config(
                    prop("bench.url", "http://127.0.0.1:8089"),
                    prop("bench.client-id", "bluepost-system"),
                    required("bench.client-secret"),
                    required("bench.jdbc-url"),
                    required("bench.db-user"),
                    required("bench.db-password"),
                    prop("bench.pg-host", "127.0.0.1"),
                    Integer.parseInt(prop("bench.pg-port", "5432")),
                    required("bench.pg-database"),
                    Long.parseLong(prop("bench.app-pid", "-1")),
                    Long.parseLong(prop("bench.kafka-pid", "-1")),
                    Integer.parseInt(prop("bench.patients", "1000")),
                    Integer.parseInt(prop("bench.bundle-size", "250")),
                    Arrays.stream(prop("bench.rates", "100,250,500,750,1000,1500").split(","))
                            .map(String::trim)
                            .filter(s -> !s.isEmpty())
                            .mapToInt(Integer::parseInt)
                            .toArray(),
                    Integer.parseInt(prop("bench.step-seconds", "30")),
                    Integer.parseInt(prop("bench.warmup-rate", "100")),
                    Integer.parseInt(prop("bench.warmup-seconds", "20")),
                    Integer.parseInt(prop("bench.body-bytes", "2048")),
                    Integer.parseInt(prop("bench.max-in-flight", "2000")),
                    Long.parseLong(prop("bench.poll-ms", "25")),
                    Integer.parseInt(prop("bench.drain-seconds", "60")),
                    Integer.parseInt(prop("bench.pgbench-clients", "20")),
                    Integer.parseInt(prop("bench.pgbench-seconds", "20")),
                    Integer.parseInt(prop("bench.pgbench-runs", "3")),
                    Boolean.parseBoolean(prop("bench.return-minimal", "false")),
                    Path.of(prop("bench.out", "bench/results/latest")));
        }

        private static String prop(String key, String fallback) {
            String value = System.getProperty(key);
            return value == null || value.isBlank() ? fallback : value;
        }

        private static String required(String key) {
            String value = System.getProperty(key);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("missing -D" + key);
            }
            return value;
        }
    }

    private final Config config;
    private final Api api;
    private final ExecutorService httpExecutor;
    private final TaskWatcher watcher;

    /** Observes the automatic reply of each message's thread (the triage rules' delay from 201 to auto-reply). */
    private final TaskWatcher replyWatcher;

    private final TaskWatcher probeWatcher;
    private final TaskWatcher probeReplyWatcher;
    private final Proc proc;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<String> texts = new ArrayList<>();
    private final Random random = new Random(42);
    private Practice practice;

    /** The simulated patients who logged in, with their own access tokens: every message is sent by one of them. */
    private List<PatientTokens.LoggedIn> loggedIn;

    private final int loggedInCount =
            Integer.parseInt(System.getProperty("bench.logged-in-patients", "200"));

    private LoadDriver(Config config) {
        this.config = config;
        this.httpExecutor =
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "http-client");
                            t.setDaemon(true);
                            return t;
                        });
        this.api =
                new Api(config.baseUrl(), config.clientId(), config.clientSecret(), httpExecutor);
        this.watcher =
                TaskWatcher.tasks(
                        config.jdbcUrl(),
                        config.dbUser(),
                        config.dbPassword(),
                        config.pollMillis());
        this.replyWatcher =
                TaskWatcher.autoReplies(
                        config.jdbcUrl(),
                        config.dbUser(),
                        config.dbPassword(),
                        config.pollMillis());
        // the red-flag probes have watchers of their own: a backlog's pending ids must not delay
        // their observation
        this.probeWatcher =
                TaskWatcher.tasks(config.jdbcUrl(), config.dbUser(), config.dbPassword(), 10);
        this.probeReplyWatcher =
                TaskWatcher.autoReplies(
                        config.jdbcUrl(), config.dbUser(), config.dbPassword(), 10, 10);
        this.proc = new Proc(config.appPid(), config.kafkaPid());
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        LoadDriver driver = new LoadDriver(Config.fromSystemProperties());
        driver.run();
        System.exit(0);
    }

    private void run() throws Exception {
        Files.createDirectories(config.out());
        log(
                "load average at start: "
                        + Proc.loadAverage()
                        + "; app RSS "
                        + proc.appRssKb() / 1024
                        + " MB");
        api.refreshToken();
        long t0 = System.nanoTime();
        practice = Practice.load(api, config.patients(), config.bundleSize());
        log(
                "loaded practice %s, %s, pool %s and %d patients through transaction Bundles in %.1f s"
                        .formatted(
                                practice.organization(),
                                practice.practitioner(),
                                practice.pool(),
                                practice.patients().size(),
                                (System.nanoTime() - t0) / 1e9));
        t0 = System.nanoTime();
        loggedIn =
                new PatientTokens(api)
                        .logIn(
                                practice.patients()
                                        .subList(
                                                0,
                                                Math.min(
                                                        loggedInCount, practice.patients().size())),
                                4);
        log(
                "%d patients logged in (portal login, consent, authorization code with PKCE) in %.1f s"
                        .formatted(loggedIn.size(), (System.nanoTime() - t0) / 1e9));
        makeTexts();
        proc.start();
        watcher.start();
        replyWatcher.start();

        // one message first: the triage consumer group may still be getting its partitions
        StepRun probe = runStep("probe", 1, 1);
        log(
                "first message: 201 after %s ms, its Task after %s ms more"
                        .formatted(
                                ms(Recorder.percentile(probe.created.sorted(), 50)),
                                ms(Recorder.percentile(probe.taskObserved.sorted(), 50))));
        StepRun warmup = runStep("warm-up", config.warmupRate(), config.warmupSeconds());
        printHeader();
        printRow(warmup);
        PgStatements pgss =
                Boolean.parseBoolean(System.getProperty("bench.pgss", "0").replace("1", "true"))
                        ? new PgStatements(config.jdbcUrl(), config.dbUser(), config.dbPassword())
                        : null;
        if (pgss != null) {
            pgss.reset();
        }
        List<StepRun> steps = new ArrayList<>();
        for (int rate : config.rates()) {
            api.refreshToken(); // tokens live an hour; a fresh one per step keeps long runs safe
            StepRun step = runStep(rate + "/s", rate, config.stepSeconds());
            steps.add(step);
            printRow(step);
            String stop = overloaded(step);
            if (stop != null) {
                log("stopping the ramp after " + step.name + ": " + stop);
                break;
            }
        }
        if (pgss != null) {
            pgss.write(
                    config.out().resolve("pgss.txt"),
                    steps.stream().mapToLong(st -> st.ok.get()).sum());
        }
        String redFlag = redFlagProbe();
        proc.stop();
        watcher.stop();
        replyWatcher.stop();

        log(
                "app RSS now %d MB, peak (VmHWM) %d MB"
                        .formatted(proc.appRssKb() / 1024, proc.appPeakKb() / 1024));
        PgBench.Result pgbench = config.pgbenchRuns() > 0 ? new PgBench(config).run() : null;
        report(warmup, steps, pgbench, redFlag);
    }

    // ------------------------------------------------------------------------------------------
    // red flag

    /**
     * Right after the last step, while the routine lane may still hold a backlog: one patient's
     * message that names an emergency, and how long after its 201 its Task and its (emergency)
     * automatic reply were visible.
     */
    private static final String RED_FLAG = "red flag";

    private String redFlagProbe() throws InterruptedException {
        probeWatcher.start();
        probeReplyWatcher.start();
        StringBuilder lines = new StringBuilder();
        for (int i = 1;
                i <= 3;
                i++) { // the first one also pays for the code paths (and on-call pool) no message
            // used yet
            long backlog = watcher.pendingCount();
            StepRun probe = new StepRun(RED_FLAG, 1, 1);
            PatientTokens.LoggedIn patient = loggedIn.get(i % loggedIn.size());
            send(
                    probe,
                    System.nanoTime(),
                    patient.token(),
                    messageJson(
                            patient.patient(),
                            practice.pool(),
                            "I have chest pain and my left arm feels numb. "
                                    + texts.get(i).substring(0, 200)));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline
                    && (probe.taskObserved.sorted().length == 0
                            || probe.autoReplyObserved.sorted().length == 0)) {
                Thread.sleep(10);
            }
            long[] task = probe.taskObserved.sorted();
            long[] reply = probe.autoReplyObserved.sorted();
            String line =
                    ("RED FLAG %d: sent with %d earlier messages still without a Task; 201 after %s ms; 201 -> Task %s ms; "
                                    + "201 -> automatic reply %s ms")
                            .formatted(
                                    i,
                                    backlog,
                                    ms(Recorder.percentile(probe.created.sorted(), 50)),
                                    task.length == 0 ? "(none in 30 s)" : ms(task[0]),
                                    reply.length == 0 ? "(none in 30 s)" : ms(reply[0]));
            log(line);
            lines.append(i > 1 ? "\n" : "").append(line);
            Thread.sleep(1_000);
        }
        probeWatcher.stop();
        probeReplyWatcher.stop();
        return lines.toString();
    }

    // ------------------------------------------------------------------------------------------
    // load

    private void makeTexts() {
        String words =
                "Hello doctor I have a question about my prescription refill and the dose I was given last week "
                        + "it makes me a little dizzy in the morning should I take it with food or in the evening instead thanks ";
        for (int v = 0; v < 32; v++) {
            StringBuilder text = new StringBuilder("Load test message " + v + ". ");
            int offset = v * 7 % words.length();
            while (text.length() < config.bodyBytes()) {
                text.append(words.charAt(offset++ % words.length()));
            }
            text.setLength(config.bodyBytes()); // ASCII: bytes = chars
            texts.add(text.toString());
        }
    }

    /** A patient's first message of a new thread, to the pool: every one becomes a Task. */
    private String messageJson(String patient, String recipient, String text) {
        return "{\"resourceType\":\"Communication\",\"status\":\"completed\","
                + "\"identifier\":[{\"system\":\"urn:bench:message\",\"value\":\""
                + UUID.randomUUID()
                + "\"}],"
                + "\"category\":[{\"coding\":[{\"system\":\""
                + CATEGORY_SYSTEM
                + "\",\"code\":\"medical-question\"}]}],"
                + "\"subject\":{\"reference\":\""
                + patient
                + "\"},"
                + "\"sender\":{\"reference\":\""
                + patient
                + "\"},"
                + "\"recipient\":[{\"reference\":\""
                + recipient
                + "\"}],"
                + "\"payload\":[{\"contentString\":\""
                + text
                + "\"}]}";
    }

    private StepRun runStep(String name, int rate, int seconds) throws InterruptedException {
        StepRun step = new StepRun(name, rate, seconds);
        step.loadAtStart = Proc.loadAverage();
        step.cpuAtStart = proc.cpu();
        long start = System.nanoTime() + 50_000_000L;
        step.startNanos = start;
        step.endNanos = start + seconds * 1_000_000_000L;
        double period = 1e9 / rate;
        for (long i = 0; i < step.scheduled; i++) {
            long due = start + (long) (i * period);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (-wait > 10_000_000L) {
                step.lateSends.incrementAndGet(); // the sender itself fell > 10 ms behind schedule
            }
            if (inFlight.get() >= config.maxInFlight()) {
                step.shed.incrementAndGet(); // not sent: counted as a failure of the step
                continue;
            }
            PatientTokens.LoggedIn patient = loggedIn.get(random.nextInt(loggedIn.size()));
            send(
                    step,
                    due,
                    patient.token(),
                    messageJson(
                            patient.patient(),
                            practice.pool(),
                            texts.get((int) (i % texts.size()))));
        }
        long sentAllAt = System.nanoTime();
        // drain: every request answered and every accepted message's Task seen (bounded)
        long deadline = sentAllAt + config.drainSeconds() * 1_000_000_000L;
        while (System.nanoTime() < deadline
                && (inFlight.get() > 0 || watcher.pendingOf(step) > 0)) {
            Thread.sleep(10);
        }
        long drained = System.nanoTime();
        step.drainNanos = Math.max(0, drained - step.endNanos);
        step.pendingAfterDrain = (int) watcher.pendingOf(step);
        step.cpuAtEnd = proc.cpu();
        step.loadAtEnd = Proc.loadAverage();
        Thread.sleep(1_000); // a short pause between steps
        return step;
    }

    private void send(StepRun step, long due, String token, String body) {
        HttpRequest.Builder builder =
                api.fhir("/fhir/Communication", token)
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (config.returnMinimal()) {
            builder.header("Prefer", "return=minimal");
        }
        inFlight.incrementAndGet();
        step.sent.incrementAndGet();
        long sentAt = System.nanoTime();
        api.client()
                .sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString())
                .whenComplete(
                        (response, failure) -> {
                            long now = System.nanoTime();
                            Instant wall = Instant.now();
                            inFlight.decrementAndGet();
                            if (failure != null) {
                                Throwable cause =
                                        failure.getCause() != null ? failure.getCause() : failure;
                                step.error(
                                        cause instanceof HttpTimeoutException
                                                ? "timeout"
                                                : cause.getClass().getSimpleName(),
                                        String.valueOf(cause.getMessage()));
                                return;
                            }
                            if (response.statusCode() != 201) {
                                step.error("HTTP " + response.statusCode(), response.body());
                                return;
                            }
                            step.ok.incrementAndGet();
                            if (now <= step.endNanos) {
                                step.okInWindow.incrementAndGet();
                            }
                            step.created.add(now - due);
                            step.service.add(now - sentAt);
                            String location = response.headers().firstValue("Location").orElse("");
                            int at = location.indexOf("/Communication/");
                            if (at < 0) {
                                step.error("no Location", location);
                                return;
                            }
                            String id =
                                    location.substring(
                                            at + "/Communication/".length(),
                                            at + "/Communication/".length() + 36);
                            TaskWatcher.Pending pending =
                                    new TaskWatcher.Pending(
                                            step,
                                            now,
                                            wall.getEpochSecond() * 1_000_000L
                                                    + wall.getNano() / 1_000);
                            boolean probe = RED_FLAG.equals(step.name);
                            (probe ? probeWatcher : watcher).expect(UUID.fromString(id), pending);
                            (probe ? probeReplyWatcher : replyWatcher)
                                    .expect(UUID.fromString(id), pending);
                        });
    }

    /** Non-null (the reason) when stepping higher is pointless: the system clearly did not keep up. */
    private static String overloaded(StepRun step) {
        if (step.pendingAfterDrain > 0) {
            return step.pendingAfterDrain + " Tasks still missing after the drain period";
        }
        if (step.okPerSecond() < 0.8 * step.targetRate) {
            return "achieved %.0f/s is below 80 %% of the offered %d/s"
                    .formatted(step.okPerSecond(), step.targetRate);
        }
        if (step.failures() > 0.05 * step.scheduled) {
            return step.failures() + " failed requests";
        }
        return null;
    }

    /** A step is "sustained" when the system kept up with the offered rate, without errors and without a growing backlog. */
    static boolean sustained(StepRun step) {
        return step.okPerSecond() >= 0.95 * step.targetRate
                && step.tasksPerSecond() >= 0.95 * step.targetRate
                && step.failures() <= 0.001 * step.scheduled
                && step.pendingAfterDrain == 0
                && step.drainNanos <= 5_000_000_000L;
    }

    // ------------------------------------------------------------------------------------------
    // report

    private static String ms(double nanos) {
        return Double.isNaN(nanos)
                ? "-"
                : nanos >= 10_000_000
                        ? "%.0f".formatted(nanos / 1e6)
                        : "%.1f".formatted(nanos / 1e6);
    }

    private static final String HEADER =
            "| step | offered/s | 201/s | Tasks/s | errors | 201 p50 | 201 p99 | Task p50 | Task p99 | Task p99.9 | created_at p50/p99 | drain s | app RSS max MB (threads) | CPU % of a core: app/pg/kafka/driver/others | CPU ms per msg: app/pg/kafka/driver | machine CPU % | load 1m start→end |";

    private static void printHeader() {
        System.out.println();
        System.out.println(HEADER);
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    }

    private void printRow(StepRun s) {
        System.out.println(row(s));
        System.out.flush();
    }

    private String row(StepRun s) {
        long[] created = s.created.sorted();
        long[] task = s.taskObserved.sorted();
        long[] createdAt = s.taskCreatedAt.sorted();
        long rssMax =
                proc.samplesBetween(s.startNanos, s.endNanos + s.drainNanos).stream()
                        .mapToLong(Proc.RssSample::appKb)
                        .max()
                        .orElse(-1);
        long threadsMax =
                proc.samplesBetween(s.startNanos, s.endNanos + s.drainNanos).stream()
                        .mapToLong(Proc.RssSample::appThreads)
                        .max()
                        .orElse(-1);
        return "| %s | %d | %.0f | %.0f | %d | %s | %s | %s | %s | %s | %s/%s | %.1f%s | %d (%d) | %s | %s | %s | %s → %s |"
                .formatted(
                        s.name,
                        s.targetRate,
                        s.okPerSecond(),
                        s.tasksPerSecond(),
                        s.failures(),
                        ms(Recorder.percentile(created, 50)),
                        ms(Recorder.percentile(created, 99)),
                        ms(Recorder.percentile(task, 50)),
                        ms(Recorder.percentile(task, 99)),
                        ms(Recorder.percentile(task, 99.9)),
                        ms(Recorder.percentile(createdAt, 50) * 1000),
                        ms(Recorder.percentile(createdAt, 99) * 1000),
                        s.drainNanos / 1e9,
                        s.pendingAfterDrain > 0 ? " (" + s.pendingAfterDrain + " missing)" : "",
                        rssMax / 1024,
                        threadsMax,
                        cpuShares(s),
                        cpuPerMessage(s),
                        machineCpu(s),
                        first(s.loadAtStart),
                        first(s.loadAtEnd));
    }

    private static String first(String load) {
        return load == null ? "?" : load.split(" ")[0];
    }

    /** CPU used during the step (send window + drain) as % of one core, per party. */
    private static String cpuShares(StepRun s) {
        Proc.CpuSnapshot a = s.cpuAtStart;
        Proc.CpuSnapshot b = s.cpuAtEnd;
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        double app = (b.app() - a.app()) / Proc.HZ / seconds * 100;
        double pg = (b.postgres() - a.postgres()) / Proc.HZ / seconds * 100;
        double kafka = (b.kafka() - a.kafka()) / Proc.HZ / seconds * 100;
        double driver = (b.driver() - a.driver()) / Proc.HZ / seconds * 100;
        double machine = (b.machineBusy() - a.machineBusy()) / Proc.HZ / seconds * 100;
        return "%.0f/%.0f/%.0f/%.0f/%.0f"
                .formatted(
                        app, pg, kafka, driver, Math.max(0, machine - app - pg - kafka - driver));
    }

    /** CPU time per accepted message, core-milliseconds, per party (app/pg/kafka/driver): contention-independent cost. */
    private static String cpuPerMessage(StepRun s) {
        long ok = s.ok.get();
        if (ok == 0) {
            return "-";
        }
        Proc.CpuSnapshot a = s.cpuAtStart;
        Proc.CpuSnapshot b = s.cpuAtEnd;
        double f = 1000.0 / Proc.HZ / ok;
        return "%.2f/%.2f/%.2f/%.2f"
                .formatted(
                        (b.app() - a.app()) * f,
                        (b.postgres() - a.postgres()) * f,
                        (b.kafka() - a.kafka()) * f,
                        (b.driver() - a.driver()) * f);
    }

    private static String machineCpu(StepRun s) {
        long busy = s.cpuAtEnd.machineBusy() - s.cpuAtStart.machineBusy();
        long total = s.cpuAtEnd.machineTotal() - s.cpuAtStart.machineTotal();
        return total <= 0 ? "?" : "%.0f".formatted(100.0 * busy / total);
    }

    private void report(StepRun warmup, List<StepRun> steps, PgBench.Result pgbench, String redFlag)
            throws IOException {
        StepRun best = null;
        for (StepRun s : steps) {
            if (sustained(s)) {
                best = s;
            }
        }
        double sustainedRate =
                best == null ? 0 : Math.min(best.okPerSecond(), best.tasksPerSecond());
        long peakRssKb = proc.appPeakKb();
        StringBuilder md = new StringBuilder();
        md.append("Bluepost load run ").append(Instant.now()).append('\n');
        md.append(
                "patients=%d body=%d B steps=%s × %d s, warm-up %d/s × %d s, poll %d ms, max in flight %d, return=%s%n"
                        .formatted(
                                config.patients(),
                                config.bodyBytes(),
                                Arrays.toString(config.rates()),
                                config.stepSeconds(),
                                config.warmupRate(),
                                config.warmupSeconds(),
                                config.pollMillis(),
                                config.maxInFlight(),
                                config.returnMinimal() ? "minimal" : "representation"));
        md.append('\n')
                .append(HEADER)
                .append('\n')
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        md.append(row(warmup)).append('\n');
        for (StepRun s : steps) {
            md.append(row(s)).append(sustained(s) ? "" : " not sustained").append('\n');
        }
        md.append('\n');
        md.append(
                "Latencies in ms. 201 = scheduled send → 201 received (open loop). Task = 201 received → Task row visible to a poll (every %d ms, upper bound). created_at = 201 received → the Task's created_at (lower estimate; can be negative).%n"
                        .formatted(config.pollMillis()));
        md.append("Errors by kind: ");
        for (StepRun s : steps) {
            if (!s.errorKinds.isEmpty() || s.shed.get() > 0) {
                md.append(s.name)
                        .append(' ')
                        .append(s.errorKinds)
                        .append(s.shed.get() > 0 ? " shed=" + s.shed.get() : "")
                        .append("; ");
            }
        }
        md.append('\n');
        for (StepRun s : steps) {
            s.errorExamples.forEach(
                    (k, v) ->
                            md.append("  example ")
                                    .append(s.name)
                                    .append(' ')
                                    .append(k)
                                    .append(": ")
                                    .append(v)
                                    .append('\n'));
        }
        md.append(
                "Task watcher: %d queries, %.2f ms mean; auto-reply watcher: %d queries, %.2f ms mean, %d messages without an automatic reply at the end%n"
                        .formatted(
                                watcher.queries(),
                                watcher.meanQueryMillis(),
                                replyWatcher.queries(),
                                replyWatcher.meanQueryMillis(),
                                replyWatcher.pendingCount()));
        md.append('\n')
                .append(
                        "| step | auto-replies seen | 201 → auto-reply p50 | p95 | p99 | max | reply created_at p50 / p99 |\n|---|---|---|---|---|---|---|\n");
        for (StepRun s : steps) {
            long[] reply = s.autoReplyObserved.sorted();
            long[] replyCreated = s.autoReplyCreatedAt.sorted();
            md.append(
                    "| %s | %d | %s | %s | %s | %s | %.1f / %.1f |%n"
                            .formatted(
                                    s.name,
                                    reply.length,
                                    ms(Recorder.percentile(reply, 50)),
                                    ms(Recorder.percentile(reply, 95)),
                                    ms(Recorder.percentile(reply, 99)),
                                    ms(Recorder.percentile(reply, 100)),
                                    Recorder.percentile(replyCreated, 50) / 1e3,
                                    Recorder.percentile(replyCreated, 99) / 1e3));
        }
        md.append('\n');
        md.append(
                "SUSTAINED: %s%n"
                        .formatted(
                                best == null
                                        ? "no step was sustained"
                                        : "%.0f msg/s (step %s; Task p50 %s ms, p99 %s ms; 201 p99 %s ms)"
                                                .formatted(
                                                        sustainedRate,
                                                        best.name,
                                                        ms(
                                                                Recorder.percentile(
                                                                        best.taskObserved.sorted(),
                                                                        50)),
                                                        ms(
                                                                Recorder.percentile(
                                                                        best.taskObserved.sorted(),
                                                                        99)),
                                                        ms(
                                                                Recorder.percentile(
                                                                        best.created.sorted(),
                                                                        99)))));
        md.append("APP RSS: peak (VmHWM) %d MB%n".formatted(peakRssKb / 1024));
        md.append(redFlag).append('\n');
        if (pgbench != null) {
            md.append(
                    "PGBENCH 2-insert tps: %s → median %.0f (clients %d, %d s each)%n"
                            .formatted(
                                    pgbench.runsText(),
                                    pgbench.median(),
                                    config.pgbenchClients(),
                                    config.pgbenchSeconds()));
            md.append(
                    "RATIO: %.0f msg/s ÷ %.0f tps = %.1f %%%n"
                            .formatted(
                                    sustainedRate,
                                    pgbench.median(),
                                    100 * sustainedRate / pgbench.median()));
        }
        md.append("load average at end: ").append(Proc.loadAverage()).append('\n');
        System.out.println();
        System.out.print(md);
        Files.writeString(config.out().resolve("summary.md"), md.toString());

        Map<String, Object> json = new LinkedHashMap<>();
        json.put(
                "config",
                Map.of(
                        "patients",
                        config.patients(),
                        "bodyBytes",
                        config.bodyBytes(),
                        "rates",
                        config.rates(),
                        "stepSeconds",
                        config.stepSeconds(),
                        "pollMillis",
                        config.pollMillis(),
                        "returnMinimal",
                        config.returnMinimal()));
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(stepJson(warmup));
        steps.forEach(s -> rows.add(stepJson(s)));
        json.put("steps", rows);
        json.put("sustainedMsgPerSec", sustainedRate);
        json.put("appPeakRssMb", peakRssKb / 1024);
        if (pgbench != null) {
            json.put("pgbenchTps", pgbench.runs());
            json.put("pgbenchMedianTps", pgbench.median());
            json.put("ratioPercent", 100 * sustainedRate / pgbench.median());
        }
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(config.out().resolve("results.json").toFile(), json);
    }

    private Map<String, Object> stepJson(StepRun s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", s.name);
        m.put("offered", s.targetRate);
        m.put("sent", s.sent.get());
        m.put("ok", s.ok.get());
        m.put("okPerSec", s.okPerSecond());
        m.put("tasksPerSec", s.tasksPerSecond());
        m.put("errors", s.errors.get());
        m.put("shed", s.shed.get());
        m.put("lateSends", s.lateSends.get());
        m.put("errorKinds", s.errorKinds.toString());
        long[] created = s.created.sorted();
        long[] service = s.service.sorted();
        long[] task = s.taskObserved.sorted();
        long[] createdAt = s.taskCreatedAt.sorted();
        for (double p : new double[] {50, 90, 99, 99.9, 100}) {
            String k = p == 100 ? "max" : "p" + (p == 99.9 ? "999" : String.valueOf((int) p));
            m.put("created_" + k + "_ms", Recorder.percentile(created, p) / 1e6);
            m.put("service_" + k + "_ms", Recorder.percentile(service, p) / 1e6);
            m.put("task_" + k + "_ms", Recorder.percentile(task, p) / 1e6);
            m.put("taskCreatedAt_" + k + "_ms", Recorder.percentile(createdAt, p) / 1e3);
            m.put(
                    "autoReply_" + k + "_ms",
                    Recorder.percentile(s.autoReplyObserved.sorted(), p) / 1e6);
        }
        m.put("drainSeconds", s.drainNanos / 1e9);
        m.put("tasksMissing", s.pendingAfterDrain);
        m.put(
                "appRssMaxMb",
                proc.samplesBetween(s.startNanos, s.endNanos + s.drainNanos).stream()
                                .mapToLong(Proc.RssSample::appKb)
                                .max()
                                .orElse(-1)
                        / 1024);
        m.put(
                "appThreadsMax",
                proc.samplesBetween(s.startNanos, s.endNanos + s.drainNanos).stream()
                        .mapToLong(Proc.RssSample::appThreads)
                        .max()
                        .orElse(-1));
        m.put(
                "kafkaRssMaxMb",
                proc.samplesBetween(s.startNanos, s.endNanos + s.drainNanos).stream()
                                .mapToLong(Proc.RssSample::kafkaKb)
                                .max()
                                .orElse(-1)
                        / 1024);
        m.put("cpuPercentAppPgKafkaDriver", cpuShares(s));
        m.put("cpuMsPerMessageAppPgKafkaDriver", cpuPerMessage(s));
        m.put("machineCpuPercent", machineCpu(s));
        m.put("loadStart", s.loadAtStart);
        m.put("loadEnd", s.loadAtEnd);
        m.put("sustained", sustained(s));
        return m;
    }

    static void log(String line) {
        System.out.println("[bench " + Instant.now() + "] " + line);
        System.out.flush();
    }
}
