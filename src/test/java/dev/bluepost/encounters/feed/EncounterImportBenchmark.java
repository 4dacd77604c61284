package dev.bluepost.encounters.feed;

import static dev.bluepost.testing.Builders.aLocation;
import static dev.bluepost.testing.Builders.aPractice;
import static dev.bluepost.testing.Builders.aVisit;
import static dev.bluepost.testing.Builders.anEp;

import dev.bluepost.testing.Api;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.Fhir;
import dev.bluepost.testing.PracticeFixture;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.hl7.fhir.r4.model.Encounter;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Benchmark (docs/performance.md, "Bulk encounter import vs COPY"), not a test: no assertion on
 * time, and its name keeps it out of surefire's and failsafe's default runs. Run it on its own:
 * <pre>./mvnw -B -o verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=EncounterImportBenchmark \
 *     -Dfailsafe.failIfNoSpecifiedTests=false -Dbench.encounters=20000 -Dbench.warmup=3000 -Dbench.rounds=4</pre>
 * After a warm-up import ({@code bench.warmup} lines), each of {@code bench.rounds} rounds
 * generates N FHIR Encounter NDJSON lines (visits of N/10 new patients with 20 EPs at 5 locations),
 * times the import end to end — {@code POST /fhir/Encounter/$import} until the job's status says
 * COMPLETED — then exports exactly the rows the import wrote, deletes them, and times PostgreSQL
 * {@code COPY … FROM STDIN} of those rows into the same tables (same indexes, foreign keys and
 * triggers). Each round prints rows/s of both, the ratio, the load average, and the CPU seconds
 * used meanwhile by this JVM (per thread kind, the JIT compiler and garbage collector included)
 * and by PostgreSQL. The first rounds run while the JVM is still compiling the application it has
 * just started; later rounds show the steady state of a running server.
 * {@code -Dbench.noTriggers=true} disables the measure aggregates' trigger on both sides (to see
 * what the aggregates cost).
 */
@QuarkusTest
class EncounterImportBenchmark {

    @TestHTTPResource("/")
    URI base;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private String practice;
    private UUID practiceId;
    private final List<String> locations = new ArrayList<>();
    private final List<String> eps = new ArrayList<>();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void importVersusCopy() throws Exception {
        int n = Integer.getInteger("bench.encounters", 20_000);
        int warmup = Integer.getInteger("bench.warmup", 3_000);
        int rounds = Integer.getInteger("bench.rounds", 4);
        practice = "Organization/" + Api.create(aPractice());
        for (int i = 0; i < 5; i++) {
            locations.add("Location/" + Api.create(aLocation(practice, true)));
        }
        for (int i = 0; i < 20; i++) {
            eps.add("Practitioner/" + Api.create(anEp(practice)));
        }
        practiceId = PracticeFixture.id(practice);
        System.out.printf(
                "bench encounters=%d warmup=%d rounds=%d eps=%d noTriggers=%s%n",
                n, warmup, rounds, eps.size(), Boolean.getBoolean("bench.noTriggers"));
        if (warmup > 0) {
            importFile(lines("warmup", warmup, patients(warmup), null));
        }
        if (Boolean.getBoolean("bench.noTriggers")) {
            try (Connection c = EmbeddedPostgresResource.dataSource().getConnection();
                    Statement s = c.createStatement()) {
                s.execute(
                        "alter table encounter_participant disable trigger mu_participant_inserted");
            }
        }
        List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            ratios.add(round(round, n));
        }
        System.out.printf(
                "bench SUMMARY ratio per round %s%n",
                ratios.stream().map(r -> String.format("%.1f %%", r)).toList());
    }

    /** One round: the import of N new encounters, then COPY of the same rows; the ratio of the rates in %. */
    private double round(int round, int n) throws Exception {
        List<UUID> ids = new ArrayList<>();
        byte[] file = lines("r" + round, n, patients(n), ids);

        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        Cpu cpu0 = Cpu.now();
        long t0 = System.nanoTime();
        String status = importFile(file);
        double importSeconds = (System.nanoTime() - t0) / 1e9;
        Cpu importCpu = Cpu.now().minus(cpu0);
        if (!status.contains("\"created\":" + n + ",")) {
            throw new IllegalStateException(
                    "the import did not create every encounter: "
                            + status.replaceAll("\"errors\":\\[.*", ""));
        }

        // the same rows, as the import wrote them, through COPY
        String idList =
                "'{" + String.join(",", ids.stream().map(UUID::toString).toList()) + "}'::uuid[]";
        ByteArrayOutputStream encounters = new ByteArrayOutputStream();
        ByteArrayOutputStream participants = new ByteArrayOutputStream();
        double copySeconds;
        Cpu copyCpu;
        String loadCopy;
        try (Connection c = EmbeddedPostgresResource.dataSource().getConnection()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            copy.copyOut(
                    "copy (select * from encounter where id = any(" + idList + ")) to stdout",
                    encounters);
            copy.copyOut(
                    "copy (select * from encounter_participant where encounter_id = any("
                            + idList
                            + ")) to stdout",
                    participants);
            try (Statement s = c.createStatement()) {
                s.execute(
                        "delete from encounter_participant where encounter_id = any("
                                + idList
                                + ")");
                s.execute("delete from encounter where id = any(" + idList + ")");
                s.execute("vacuum analyze encounter");
                s.execute("vacuum analyze encounter_participant");
            }
            loadCopy = Files.readString(Path.of("/proc/loadavg")).trim();
            Cpu cpu1 = Cpu.now();
            long t1 = System.nanoTime();
            c.setAutoCommit(false);
            long rows =
                    copy.copyIn(
                            "copy encounter from stdin",
                            new ByteArrayInputStream(encounters.toByteArray()));
            copy.copyIn(
                    "copy encounter_participant from stdin",
                    new ByteArrayInputStream(participants.toByteArray()));
            c.commit();
            copySeconds = (System.nanoTime() - t1) / 1e9;
            copyCpu = Cpu.now().minus(cpu1);
            if (rows != n) {
                throw new IllegalStateException("COPY wrote " + rows + " encounters, not " + n);
            }
        }
        double importRate = n / importSeconds;
        double copyRate = n / copySeconds;
        double ratio = 100 * importRate / copyRate;
        System.out.printf(
                "bench round %d cpu import: jvm=%.2f s (%s) postgres=%.2f s; copy: jvm=%.2f s postgres=%.2f s%n",
                round,
                importCpu.jvm(),
                importCpu.threads(),
                importCpu.postgres(),
                copyCpu.jvm(),
                copyCpu.postgres());
        System.out.printf(
                "bench round %d RESULT import=%.0f rows/s (%.2f s) copy=%.0f rows/s (%.2f s) ratio=%.1f %% "
                        + "loadavg(import)=%s loadavg(copy)=%s at %s%n",
                round,
                importRate,
                importSeconds,
                copyRate,
                copySeconds,
                ratio,
                load,
                loadCopy,
                Instant.now());
        return ratio;
    }

    /** New patients of the practice (SQL, not the API: only their ids matter here). */
    private List<String> patients(int encounters) throws Exception {
        List<String> patients = new ArrayList<>();
        try (Connection c = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "insert into patient (id, version, resource, created_at, updated_at, practice_id, "
                                        + "display_name, test_patient, active) values (?, 0, '{\"resourceType\":\"Patient\"}', now(), now(), ?, 'Bench', false, true)")) {
            for (int i = 0; i < Math.max(100, encounters / 10); i++) {
                UUID id = UUID.randomUUID();
                patients.add("Patient/" + id);
                s.setObject(1, id);
                s.setObject(2, practiceId);
                s.addBatch();
            }
            s.executeBatch();
        }
        return patients;
    }

    /**
     * CPU nanoseconds per thread of this process, from {@code /proc/self/task} (JVM threads
     * included: garbage collector, JIT compiler; names as the kernel keeps them, 15 characters).
     */
    private static Map<String, Long> threadCpu() throws IOException {
        Map<String, Long> cpu = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    cpu.put(
                            name + "#" + task.getFileName(),
                            (Long.parseLong(fields[11]) + Long.parseLong(fields[12]))
                                    * 10_000_000L);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return cpu;
    }

    /**
     * CPU seconds used so far by this JVM and by the PostgreSQL processes alive now (from
     * {@code /proc}; a process that exits meanwhile, say an autovacuum worker, is not counted).
     */
    private record Cpu(double jvm, double postgres, Map<String, Long> threadNanos) {

        static Cpu now() throws IOException {
            double jvm =
                    ((com.sun.management.OperatingSystemMXBean)
                                            ManagementFactory.getOperatingSystemMXBean())
                                    .getProcessCpuTime()
                            / 1e9;
            long ticks = 0;
            try (var processes = Files.list(Path.of("/proc"))) {
                for (Path dir :
                        processes
                                .filter(
                                        d ->
                                                d.getFileName()
                                                        .toString()
                                                        .chars()
                                                        .allMatch(Character::isDigit))
                                .toList()) {
                    try {
                        String stat = Files.readString(dir.resolve("stat"));
                        if (!stat.contains("(postgres)")) {
                            continue;
                        }
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    } catch (IOException | RuntimeException gone) {
                        // the process ended meanwhile
                    }
                }
            }
            return new Cpu(jvm, ticks / 100.0, threadCpu());
        }

        Cpu minus(Cpu earlier) {
            Map<String, Long> used = new HashMap<>();
            threadNanos.forEach(
                    (name, nanos) ->
                            used.put(name, nanos - earlier.threadNanos.getOrDefault(name, 0L)));
            return new Cpu(jvm - earlier.jvm, postgres - earlier.postgres, used);
        }

        /** The threads that used more than 20 ms, by kind (digits folded), most first. */
        String threads() {
            Map<String, Long> byKind = new TreeMap<>();
            threadNanos.forEach(
                    (name, nanos) ->
                            byKind.merge(
                                    name.replaceAll("#[0-9]+$", "").replaceAll("[0-9]+", "N"),
                                    nanos,
                                    Long::sum));
            StringBuilder top = new StringBuilder();
            byKind.entrySet().stream()
                    .filter(e -> e.getValue() > 20_000_000)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(
                            e ->
                                    top.append(top.isEmpty() ? "" : ", ")
                                            .append(
                                                    String.format(
                                                            "%s %.2f",
                                                            e.getKey(), e.getValue() / 1e9)));
            return top.toString();
        }
    }

    private byte[] lines(String run, int n, List<String> patients, List<UUID> ids) {
        StringBuilder out = new StringBuilder(n * 800);
        Instant start = Instant.parse("2025-01-02T15:00:00Z");
        for (int i = 0; i < n; i++) {
            Encounter visit =
                    aVisit(
                            patients.get(i % patients.size()),
                            eps.get(i % eps.size()),
                            locations.get(i % locations.size()),
                            practice,
                            start.plusSeconds(3600L * (i % 8000)));
            String value = "bench-" + this.run + "-" + run + "-" + i;
            visit.getIdentifierFirstRep().setValue(value);
            if (ids != null) {
                ids.add(EncounterFeed.idFor("urn:test:encounter|" + value));
            }
            out.append(Fhir.json(visit)).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * POSTs the file to $import and polls the status until the job finished; the final status JSON.
     * Upload and polling go through the JDK's HTTP client, as a system client would: RestAssured
     * took ~10 s to send a 15 MB body on the loaded machine, and its Groovy machinery took a tenth
     * of the CPU samples while polling — that measured the test client, not the import.
     */
    private String importFile(byte[] file) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> accepted =
                http.send(
                        HttpRequest.newBuilder(base.resolve("/fhir/Encounter/$import"))
                                .header("Authorization", "Bearer " + Api.token())
                                .header("Content-Type", "application/fhir+ndjson")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(file))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (accepted.statusCode() != 202) {
            throw new IllegalStateException("import not accepted: " + accepted.statusCode());
        }
        System.out.printf(
                "bench upload bytes=%d seconds=%.2f%n",
                file.length, (System.nanoTime() - t0) / 1e9);
        URI status =
                base.resolve(
                        java.net
                                .URI
                                .create(
                                        accepted.headers()
                                                .firstValue("Content-Location")
                                                .orElseThrow())
                                .getPath());
        HttpRequest poll =
                HttpRequest.newBuilder(status)
                        .header("Authorization", "Bearer " + Api.token())
                        .GET()
                        .build();
        while (true) {
            HttpResponse<String> response = http.send(poll, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return response.body();
            }
            Thread.sleep(50);
        }
    }
}
