package dev.bluepost.messaging;

import static dev.bluepost.testing.Builders.aLocation;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aPool;
import static dev.bluepost.testing.Builders.aPractice;
import static dev.bluepost.testing.Builders.anEp;

import dev.bluepost.testing.Api;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.PracticeFixture;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * FHIR Bulk Data export against {@code COPY … TO STDOUT} of the same rows (docs/performance.md,
 * "Bulk Data export"; run by {@code bench/export.sh}). Named so that neither surefire nor failsafe
 * runs it by default: no assertion on time. In the messaging package because it seeds sealed
 * messages, which only this package can seal.
 * <p>
 * Seeds one practice with {@code bench.patients} patients and {@code bench.encounters} Encounters
 * (SQL, {@code generate_series}, triggers off for the seeding session) and {@code bench.messages}
 * messages (COPY; each body sealed under its thread's key, as the application seals them, in
 * {@code bench.threads} threads started through the FHIR API), then times
 * {@code GET /fhir/Group/{practice}/$export?_type=Encounter,Communication} from kick-off until the status
 * answers 200, and the download of its files, while sampling the used heap every 100 ms; then times
 * {@code COPY (select …) TO STDOUT} of the same rows. Prints a Markdown table (and writes it to
 * {@code bench.out}).
 */
@QuarkusTest
class BulkExportBenchmark {

    private static final int PATIENTS = Integer.getInteger("bench.patients", 10_000);
    private static final int ENCOUNTERS = Integer.getInteger("bench.encounters", 1_000_000);
    private static final int MESSAGES = Integer.getInteger("bench.messages", 200_000);
    private static final int THREADS = Integer.getInteger("bench.threads", 50);
    private static final String OUT = System.getProperty("bench.out", "target/bench-export.md");

    @Inject MessageSealing sealing;

    @Inject EntityManager em;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void exportAgainstCopy() throws Exception {
        StringBuilder report = new StringBuilder();
        String practice = "Organization/" + Api.create(aPractice());
        String location = "Location/" + Api.create(aLocation(practice, true));
        String ep = "Practitioner/" + Api.create(anEp(practice));
        String pool = "CareTeam/" + Api.create(aPool(practice, "Bench pool", ep));
        UUID practiceId = PracticeFixture.id(practice);

        long seedStart = System.nanoTime();
        List<UUID> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            String patient = "Patient/" + Api.create(aPatient(practice));
            String message = Api.create(aMessage(patient, pool, "Bench thread " + i));
            threads.add(threadOf(UUID.fromString(message)));
        }
        seedPatientsAndEncounters(practiceId);
        seedMessages(practiceId, threads);
        line(
                report,
                "seeded %,d patients, %,d encounters, %,d messages in %.1f s",
                PATIENTS + THREADS,
                count("encounter", practiceId),
                count("message", practiceId),
                (System.nanoTime() - seedStart) / 1e9);

        // the export, with the used heap sampled every 100 ms
        List<Long> heap = new ArrayList<>();
        List<Long> live = new ArrayList<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        Thread sampler =
                new Thread(
                        () -> {
                            while (sampling.get()) {
                                synchronized (heap) {
                                    heap.add(memory.getHeapMemoryUsage().getUsed());
                                    live.add(afterLastGc());
                                }
                                try {
                                    Thread.sleep(100);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        });
        sampler.start();
        String base = "http://localhost:" + RestAssured.port;
        long exportStart = System.nanoTime();
        HttpResponse<String> kickOff =
                http.send(
                        request(
                                        base
                                                + "/fhir/Group/"
                                                + practiceId
                                                + "/$export?_type=Encounter,Communication")
                                .header("Prefer", "respond-async")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (kickOff.statusCode() != 202) {
            throw new IllegalStateException(
                    "kick-off answered " + kickOff.statusCode() + ": " + kickOff.body());
        }
        String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
        String manifest;
        while (true) {
            HttpResponse<String> poll =
                    http.send(request(status).build(), HttpResponse.BodyHandlers.ofString());
            if (poll.statusCode() == 200) {
                manifest = poll.body();
                break;
            }
            if (poll.statusCode() != 202) {
                throw new IllegalStateException(
                        "status answered " + poll.statusCode() + ": " + poll.body());
            }
            Thread.sleep(100);
        }
        double exportSeconds = (System.nanoTime() - exportStart) / 1e9;
        long downloadStart = System.nanoTime();
        long bytes = 0;
        long lines = 0;
        Matcher url = Pattern.compile("\"url\":\"([^\"]+)\"").matcher(manifest);
        while (url.find()) {
            HttpResponse<InputStream> file =
                    http.send(
                            request(url.group(1)).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = file.body()) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    bytes += n;
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                }
            }
        }
        double downloadSeconds = (System.nanoTime() - downloadStart) / 1e9;
        sampling.set(false);
        sampler.join();
        long rows = count("encounter", practiceId) + count("message", practiceId);

        // the same rows through COPY … TO STDOUT
        long copyStart = System.nanoTime();
        long copyBytes;
        try (Connection c = EmbeddedPostgresResource.dataSource().getConnection()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            CountingStream out = new CountingStream();
            copy.copyOut(
                    "copy (select id, version, resource, updated_at from encounter where practice_id = '"
                            + practiceId
                            + "') to stdout",
                    out);
            copy.copyOut(
                    "copy (select m.*, (select array_agg(r.recipient_id) from message_recipient r where r.message_id = m.id) "
                            + "from message m where m.practice_id = '"
                            + practiceId
                            + "') to stdout",
                    out);
            copyBytes = out.count;
        }
        double copySeconds = (System.nanoTime() - copyStart) / 1e9;

        line(report, "");
        line(report, "| | rows | seconds | rows/s | MB |");
        line(report, "|---|---:|---:|---:|---:|");
        line(
                report,
                "| export (kick-off → manifest) | %,d | %.1f | %,.0f | %.0f |",
                lines,
                exportSeconds,
                lines / exportSeconds,
                bytes / 1e6);
        line(
                report,
                "| download of the files | %,d | %.1f | %,.0f | %.0f |",
                lines,
                downloadSeconds,
                lines / downloadSeconds,
                bytes / 1e6);
        line(
                report,
                "| `COPY (select …) TO STDOUT` | %,d | %.1f | %,.0f | %.0f |",
                rows,
                copySeconds,
                rows / copySeconds,
                copyBytes / 1e6);
        line(report, "");
        line(
                report,
                "export rate = %.1f %% of COPY's",
                100.0 * (lines / exportSeconds) / (rows / copySeconds));
        int n = heap.size();
        line(
                report,
                "used heap (MB) before the export, after a GC: %.0f; max heap %.0f",
                heapBefore / 1e6,
                memory.getHeapMemoryUsage().getMax() / 1e6);
        line(
                report,
                "used heap (MB) during export and download, %d samples; max by tenth of the run: %s",
                n,
                tenths(heap));
        line(
                report,
                "heap after the latest GC (MB, the live set; what must stay flat); max by tenth of the run: %s",
                tenths(live));
        Files.writeString(Path.of(OUT), report.toString(), StandardCharsets.UTF_8);
    }

    /**
     * The heap in use right after the most recent collection (any collector): garbage not counted.
     * Only the heap's pools (eden, survivor, old): a collection also reports metaspace and the code cache.
     */
    private static long afterLastGc() {
        java.util.Set<String> heapPools = new java.util.HashSet<>();
        for (java.lang.management.MemoryPoolMXBean pool :
                ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        long end = -1;
        long used = 0;
        for (java.lang.management.GarbageCollectorMXBean gc :
                ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof com.sun.management.GarbageCollectorMXBean sun
                    && sun.getLastGcInfo() != null
                    && sun.getLastGcInfo().getEndTime() > end) {
                end = sun.getLastGcInfo().getEndTime();
                used =
                        sun.getLastGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                                .filter(pool -> heapPools.contains(pool.getKey()))
                                .mapToLong(pool -> pool.getValue().getUsed())
                                .sum();
            }
        }
        return used;
    }

    private static String tenths(List<Long> samples) {
        List<String> parts = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            int from = samples.size() * t / 10;
            int to = Math.max(from + 1, samples.size() * (t + 1) / 10);
            long max = 0;
            for (int i = from; i < Math.min(to, samples.size()); i++) {
                max = Math.max(max, samples.get(i));
            }
            parts.add(String.format("%.0f", max / 1e6));
        }
        return String.join(" / ", parts);
    }

    private static void line(StringBuilder report, String format, Object... values) {
        String text = String.format(format, values);
        System.out.println("[bench] " + text);
        report.append(text).append('\n');
    }

    private HttpRequest.Builder request(String uri) {
        return HttpRequest.newBuilder(URI.create(uri))
                .header("Authorization", "Bearer " + Api.token())
                .header("Accept", "application/fhir+json")
                .timeout(Duration.ofMinutes(30));
    }

    private static UUID threadOf(UUID message) throws Exception {
        try (Connection c = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement s =
                        c.prepareStatement("select thread_id from message where id = ?")) {
            s.setObject(1, message);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getObject(1, UUID.class);
            }
        }
    }

    private static long count(String table, UUID practice) throws Exception {
        try (Connection c = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "select count(*) from " + table + " where practice_id = ?")) {
            s.setObject(1, practice);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** Patients and visits by generate_series, in one session with triggers off (the measure aggregates are not the point). */
    private static void seedPatientsAndEncounters(UUID practice) throws Exception {
        try (Connection c = EmbeddedPostgresResource.dataSource().getConnection()) {
            try (var s = c.createStatement()) {
                s.execute("set session_replication_role = replica");
            }
            try (PreparedStatement s =
                    c.prepareStatement(
                            """
                    insert into patient (id, version, resource, created_at, updated_at, practice_id, display_name, family, test_patient, active)
                    select gen_random_uuid(), 0, jsonb_build_object('resourceType', 'Patient',
                               'name', jsonb_build_array(jsonb_build_object('family', 'Bench' || i, 'given', jsonb_build_array('Test'))),
                               'managingOrganization', jsonb_build_object('reference', 'Organization/' || ?::text)),
                           now(), now(), ?, 'Test Bench' || i, 'Bench' || i, false, true
                    from generate_series(1, ?) i""")) {
                s.setObject(1, practice);
                s.setObject(2, practice);
                s.setInt(3, PATIENTS);
                s.executeUpdate();
            }
            try (PreparedStatement s =
                    c.prepareStatement(
                            """
                    with p as (select array_agg(id) a from patient where practice_id = ?)
                    insert into encounter (id, version, resource, created_at, updated_at, practice_id, patient_id, status, class_code,
                                           period_start, period_end, service_date)
                    select gen_random_uuid(), 0, jsonb_build_object('resourceType', 'Encounter', 'status', 'finished',
                               'identifier', jsonb_build_array(jsonb_build_object('system', 'urn:bench:encounter', 'value', 'e' || i)),
                               'class', jsonb_build_object('system', 'http://terminology.hl7.org/CodeSystem/v3-ActCode', 'code', 'AMB'),
                               'subject', jsonb_build_object('reference', 'Patient/' || p.a[1 + i % cardinality(p.a)]),
                               'period', jsonb_build_object('start', to_char(timestamptz '2026-01-01' + (i % 330) * interval '1 day',
                                   'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
                               'serviceProvider', jsonb_build_object('reference', 'Organization/' || ?::text)),
                           now(), now(), ?, p.a[1 + i % cardinality(p.a)], 'finished', 'AMB',
                           timestamptz '2026-01-01' + (i % 330) * interval '1 day', null, date '2026-01-01' + (i % 330)
                    from p, generate_series(1, ?) i""")) {
                s.setObject(1, practice);
                s.setObject(2, practice);
                s.setObject(3, practice);
                s.setInt(4, ENCOUNTERS);
                s.executeUpdate();
            }
            try (var s = c.createStatement()) {
                s.execute("set session_replication_role = origin");
                s.execute("analyze patient");
                s.execute("analyze encounter");
            }
        }
    }

    /** Messages in the given threads, each body sealed under its thread's key, written with COPY. */
    private void seedMessages(UUID practice, List<UUID> threadIds) throws Exception {
        List<MessageThread> threads =
                QuarkusTransaction.requiringNew()
                        .call(
                                () -> {
                                    List<MessageThread> found = new ArrayList<>();
                                    threadIds.forEach(
                                            id -> found.add(em.find(MessageThread.class, id)));
                                    found.forEach(em::detach);
                                    return found;
                                });
        HexFormat hex = HexFormat.of();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        try (Connection c = EmbeddedPostgresResource.dataSource().getConnection()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            int written = 0;
            while (written < MESSAGES) {
                StringBuilder rows = new StringBuilder();
                int batch = Math.min(10_000, MESSAGES - written);
                for (int i = 0; i < batch; i++) {
                    MessageThread thread = threads.get((written + i) % threads.size());
                    Message message = new Message();
                    message.id = UUID.randomUUID();
                    sealing.sealBody(
                            thread,
                            message,
                            "Bench message "
                                    + (written + i)
                                    + ": a question about a prescription refill.");
                    String at = start.plusSeconds(written + i).toString();
                    rows.append(message.id)
                            .append('\t')
                            .append(thread.id)
                            .append('\t')
                            .append(practice)
                            .append('\t')
                            .append(thread.patientId)
                            .append("\tPatient\t")
                            .append(thread.patientId)
                            .append("\tPATIENT\tmedical-question\troutine\tt\tf\tcompleted\t")
                            .append(at)
                            .append('\t')
                            .append(at)
                            .append("\t\\\\x")
                            .append(hex.formatHex(message.bodyIv))
                            .append("\t\\\\x")
                            .append(hex.formatHex(message.bodyCiphertext))
                            .append("\t\\\\x")
                            .append(hex.formatHex(message.bodySha256))
                            .append('\t')
                            .append(at)
                            .append('\n');
                }
                copy.copyIn(
                        "copy message (id, thread_id, practice_id, patient_id, sender_type, sender_id, sender_kind, category, priority, "
                                + "secure, automatic, status, sent_at, received_at, body_iv, body_ciphertext, body_sha256, created_at) from stdin",
                        new ByteArrayInputStream(rows.toString().getBytes(StandardCharsets.UTF_8)));
                written += batch;
            }
            try (var s = c.createStatement()) {
                s.execute("analyze message");
            }
        }
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            count += len;
        }
    }
}
