package dev.bluepost.measurement.feed;

import dev.bluepost.testing.Api;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.Fhir;
import dev.bluepost.testing.PracticeFixture;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.hl7.fhir.r4.model.Encounter;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.List;
import java.util.UUID;

import static dev.bluepost.testing.Builders.aLocation;
import static dev.bluepost.testing.Builders.aPractice;
import static dev.bluepost.testing.Builders.aVisit;
import static dev.bluepost.testing.Builders.anEp;

/**
 * Benchmark (docs/performance.md, "Measurement"), not a test: no assertion on time, and its name
 * keeps it out of surefire's and failsafe's default runs. Run it on its own:
 * <pre>./mvnw -B -o verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=EncounterImportBenchmark \
 *     -Dfailsafe.failIfNoSpecifiedTests=false -Dbench.encounters=30000</pre>
 * It generates N FHIR Encounter NDJSON lines (N patients' visits with 20 EPs at 5 locations),
 * times the import end to end — {@code POST /fhir/Encounter/$import} until the job's status says
 * COMPLETED — after a smaller warm-up import, then exports exactly the rows the import wrote,
 * deletes them, and times PostgreSQL {@code COPY … FROM STDIN} of those rows into the same tables
 * (with the same indexes and foreign keys). Prints rows/s of both, the ratio and the load average.
 */
@QuarkusTest
class EncounterImportBenchmark {

    @TestHTTPResource("/")
    URI base;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void importVersusCopy() throws Exception {
        int n = Integer.getInteger("bench.encounters", 30_000);
        int warmup = Integer.getInteger("bench.warmup", 5_000);
        String practice = "Organization/" + Api.create(aPractice());
        List<String> locations = new ArrayList<>();
        List<String> eps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            locations.add("Location/" + Api.create(aLocation(practice, true)));
        }
        for (int i = 0; i < 20; i++) {
            eps.add("Practitioner/" + Api.create(anEp(practice)));
        }
        UUID practiceId = PracticeFixture.id(practice);
        List<String> patients = new ArrayList<>();
        try (Connection c = EmbeddedPostgresResource.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("insert into patient (id, version, resource, created_at, updated_at, practice_id, "
                     + "display_name, test_patient, active) values (?, 0, '{\"resourceType\":\"Patient\"}', now(), now(), ?, 'Bench', false, true)")) {
            for (int i = 0; i < Math.max(1000, n / 10); i++) {
                UUID id = UUID.randomUUID();
                patients.add("Patient/" + id);
                s.setObject(1, id);
                s.setObject(2, practiceId);
                s.addBatch();
            }
            s.executeBatch();
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        System.out.printf("bench encounters=%d warmup=%d patients=%d eps=%d%n", n, warmup, patients.size(), eps.size());

        importFile(lines("w" + run, warmup, patients, eps, locations, practice, null));
        List<UUID> ids = new ArrayList<>();
        byte[] file = lines(run, n, patients, eps, locations, practice, ids);
        System.out.printf("bench file bytes=%d%n", file.length);

        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        long t0 = System.nanoTime();
        String status = importFile(file);
        double importSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("bench import status=%s%n", status.replaceAll("\"errors\":\\[.*", ""));

        // the same rows, as the import wrote them, through COPY
        String idList = "'{" + String.join(",", ids.stream().map(UUID::toString).toList()) + "}'::uuid[]";
        ByteArrayOutputStream encounters = new ByteArrayOutputStream();
        ByteArrayOutputStream participants = new ByteArrayOutputStream();
        double copySeconds;
        try (Connection c = EmbeddedPostgresResource.dataSource().getConnection()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            long rows = copy.copyOut("copy (select * from encounter where id = any(" + idList + ")) to stdout", encounters);
            long participantRows = copy.copyOut("copy (select * from encounter_participant where encounter_id = any(" + idList + ")) to stdout",
                    participants);
            try (Statement s = c.createStatement()) {
                s.execute("delete from encounter_participant where encounter_id = any(" + idList + ")");
                s.execute("delete from encounter where id = any(" + idList + ")");
                s.execute("vacuum analyze encounter");
                s.execute("vacuum analyze encounter_participant");
            }
            String loadCopy = Files.readString(Path.of("/proc/loadavg")).trim();
            long t1 = System.nanoTime();
            c.setAutoCommit(false);
            copy.copyIn("copy encounter from stdin", new ByteArrayInputStream(encounters.toByteArray()));
            copy.copyIn("copy encounter_participant from stdin", new ByteArrayInputStream(participants.toByteArray()));
            c.commit();
            copySeconds = (System.nanoTime() - t1) / 1e9;
            System.out.printf("bench rows encounter=%d encounter_participant=%d loadavg(import)=%s loadavg(copy)=%s%n", rows,
                    participantRows, load, loadCopy);
        }
        double importRate = n / importSeconds;
        double copyRate = n / copySeconds;
        System.out.printf("bench RESULT import=%.0f rows/s (%.2f s) copy=%.0f rows/s (%.2f s) ratio=%.1f %% at %s%n", importRate,
                importSeconds, copyRate, copySeconds, 100 * importRate / copyRate, Instant.now());
    }

    private static byte[] lines(String run, int n, List<String> patients, List<String> eps, List<String> locations, String practice,
                                List<UUID> ids) {
        StringBuilder out = new StringBuilder(n * 800);
        Instant start = Instant.parse("2025-01-02T15:00:00Z");
        for (int i = 0; i < n; i++) {
            Encounter visit = aVisit(patients.get(i % patients.size()), eps.get(i % eps.size()), locations.get(i % locations.size()),
                    practice, start.plusSeconds(3600L * (i % 8000)));
            String value = "bench-" + run + "-" + i;
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
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(base.resolve("/fhir/Encounter/$import"))
                .header("Authorization", "Bearer " + Api.token()).header("Content-Type", "application/fhir+ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(file)).build(), HttpResponse.BodyHandlers.ofString());
        if (accepted.statusCode() != 202) {
            throw new IllegalStateException("import not accepted: " + accepted.statusCode());
        }
        System.out.printf("bench upload bytes=%d seconds=%.2f%n", file.length, (System.nanoTime() - t0) / 1e9);
        URI status = base.resolve(java.net.URI.create(accepted.headers().firstValue("Content-Location").orElseThrow()).getPath());
        HttpRequest poll = HttpRequest.newBuilder(status).header("Authorization", "Bearer " + Api.token()).GET().build();
        while (true) {
            HttpResponse<String> response = http.send(poll, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return response.body();
            }
            Thread.sleep(50);
        }
    }
}
