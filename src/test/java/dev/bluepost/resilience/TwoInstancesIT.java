package dev.bluepost.resilience;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bluepost.platform.mail.LoopbackSmtpServer;
import dev.bluepost.testing.Builders;
import dev.bluepost.testing.LogTailOnFailure;
import dev.bluepost.testing.PackagedApp;
import dev.bluepost.testing.PackagedStack;
import dev.bluepost.testing.RemotePractice;
import dev.bluepost.testing.RestartablePostgres;
import dev.bluepost.testing.SteadyLoad;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scale-out, proven from outside: two instances of the packaged application share one PostgreSQL
 * server and one Kafka broker (child processes of the test), as docs/operations.md deploys them.
 * Messages go to both at a steady rate while one is killed with SIGKILL and started again; a
 * message sent through one instance shows live on the other's queue; an automatic reply text
 * changed on one is what the other sends next. Staff notices are on and go to a local mail server,
 * which proves that no e-mail goes out twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesIT {

    private static final Path WORK = Path.of("target", "it", "two-instances");
    private static final Duration CATCH_UP = Duration.ofSeconds(120);
    private static final String PASSWORD = "Two-instances-test-passphrase-7";

    @RegisterExtension static final LogTailOnFailure LOGS = new LogTailOnFailure();

    private static PackagedStack stack;
    private static RestartablePostgres postgres;
    private static PackagedApp a;
    private static PackagedApp b;
    private static RemotePractice clinic;

    /** The deployment's mail server: every e-mail either instance hands over, with its Message-ID. */
    private static LoopbackSmtpServer mailServer;

    private static final List<LoopbackSmtpServer.Received> MAILS = new CopyOnWriteArrayList<>();

    /** A provider of the clinic's EP with an e-mail address: told of each patient message (staff notices on). */
    private static String providerUser;

    @BeforeAll
    static void start() {
        mailServer = LoopbackSmtpServer.start("mail-server", MAILS::add);
        stack = PackagedStack.start(WORK, LOGS);
        postgres = stack.postgres;
        a = stack.app;
        a.setEnvironment("BLUEPOST_SMTP_HOST", "127.0.0.1");
        a.setEnvironment("BLUEPOST_SMTP_PORT", Integer.toString(mailServer.port()));
        a.setEnvironment("BLUEPOST_SMTP_STARTTLS", "DISABLED");
        a.setEnvironment("BLUEPOST_NOTIFICATIONS_STAFF_ENABLED", "true");
        b = stack.addInstance("app-b"); // the same settings
        a.start();
        b.start();
        clinic = RemotePractice.create(a);
        providerUser =
                a.given()
                        .header("Authorization", "Bearer " + a.token())
                        .contentType("application/json")
                        .body(
                                Map.of(
                                        "username",
                                        "notified-" + UUID.randomUUID().toString().substring(0, 8),
                                        "displayName",
                                        "Notified provider",
                                        "role",
                                        "PROVIDER",
                                        "password",
                                        PASSWORD,
                                        "practice",
                                        clinic.practice(),
                                        "practitioner",
                                        clinic.ep(),
                                        "email",
                                        "provider-"
                                                + UUID.randomUUID().toString().substring(0, 8)
                                                + "@example.org"))
                        .post("/api/logins")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (mailServer != null) {
            mailServer.close();
        }
    }

    @Test
    @Order(1)
    void shouldTriageEveryAcknowledgedMessageOnceWhenOneOfTwoInstancesIsKilledUnderLoad() {
        SteadyLoad load = SteadyLoad.start(List.of(a, b), clinic, 5, Duration.ofSeconds(45));
        await("the load to run for 12 s")
                .atMost(Duration.ofSeconds(30))
                .until(() -> load.elapsedMillis() >= 12_000);

        long killedAt = load.elapsedMillis();
        assertEquals(128 + 9, b.kill().exitStatus(), "instance B died of SIGKILL");
        b.start(); // waits until B is ready again
        long backAt = load.elapsedMillis();
        load.awaitEnd();

        AcknowledgedMessages.Tally tally =
                AcknowledgedMessages.assertAllTriagedOnce(
                        postgres, stack.kafka, load.acknowledged(), CATCH_UP);
        // the numbers docs/operations.md reports for this fault
        System.out.printf(
                "two instances, B killed: down %d ms; %d acknowledged (%d while B was down, by A); refused %s;"
                        + " last one triaged %d ms after the load; %d events published twice, each applied once%n",
                backAt - killedAt,
                tally.acknowledged(),
                load.acknowledgedBetween(killedAt, backAt),
                load.refusals(),
                tally.catchUpMillis(),
                tally.republished());
        assertTrue(
                load.acknowledgedBetween(killedAt, backAt) > 0,
                "instance A kept acknowledging while B was down");
        assertTrue(
                load.refusals().keySet().stream().allMatch(status -> status == -1),
                "no send was answered with an error status, only B's closed port refused some: "
                        + load.refusals());
        assertTrue(a.isRunning(), "instance A was never restarted");
        assertEveryNoticeHandedOverOnce(load.acknowledged());
    }

    /**
     * Each acknowledged message queued one notice for the notified provider; every notice was handed
     * to the mail server once (its Message-ID arrived once) or, the one B may have been handing over
     * when it was killed, is left as interrupted (never sent again); no e-mail arrived twice.
     */
    private static void assertEveryNoticeHandedOverOnce(List<String> acknowledged) {
        String ids = String.join(",", acknowledged);
        String notices =
                "from notification where user_id = ?::uuid and kind = 'NEW_MESSAGE' and message_id = any(string_to_array(?, ',')::uuid[])";
        // A may still be handing over the last notices when the queue is empty: those count as
        // handed over once A records the mail server's answer, so the counts are awaited together
        long[] counts = new long[2];
        await("a notice for every acknowledged message, each handed over or interrupted")
                .atMost(CATCH_UP)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            assertEquals(
                                    acknowledged.size(),
                                    postgres.queryForLong(
                                            "select count(*) " + notices, providerUser, ids),
                                    "one notice per acknowledged message");
                            assertEquals(
                                    0,
                                    postgres.queryForLong(
                                            "select count(*) "
                                                    + notices
                                                    + " and outcome is null and handing_over_since is null",
                                            providerUser,
                                            ids),
                                    "notices still waiting for their hand-over");
                            counts[0] =
                                    postgres.queryForLong(
                                            "select count(*) " + notices + " and outcome = 'SENT'",
                                            providerUser,
                                            ids);
                            counts[1] =
                                    postgres.queryForLong(
                                            "select count(*) "
                                                    + notices
                                                    + " and handing_over_since is not null",
                                            providerUser,
                                            ids);
                            assertTrue(
                                    counts[1] <= 1,
                                    "at most the one notice B was handing over when it was killed is left interrupted: "
                                            + counts[1]);
                        });
        long sent = counts[0];
        long interrupted = counts[1];
        assertEquals(acknowledged.size(), sent + interrupted, "every other notice went out");

        Map<String, Long> arrivals =
                MAILS.stream()
                        .collect(
                                java.util.stream.Collectors.groupingBy(
                                        mail -> String.valueOf(mail.header("Message-ID")),
                                        java.util.stream.Collectors.counting()));
        List<String> twice =
                arrivals.entrySet().stream()
                        .filter(e -> e.getValue() > 1)
                        .map(Map.Entry::getKey)
                        .toList();
        assertTrue(twice.isEmpty(), "no e-mail arrived twice: " + twice);
        List<String> sentIds = new java.util.ArrayList<>();
        try (var connection = postgres.connect();
                var statement =
                        connection.prepareStatement(
                                "select id::text " + notices + " and outcome = 'SENT'")) {
            statement.setString(1, providerUser);
            statement.setString(2, ids);
            try (var result = statement.executeQuery()) {
                while (result.next()) {
                    sentIds.add("<" + result.getString(1) + "@notification.bluepost>");
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        List<String> missing = sentIds.stream().filter(id -> !arrivals.containsKey(id)).toList();
        assertTrue(missing.isEmpty(), "every notice recorded as sent arrived: missing " + missing);
        System.out.printf(
                "two instances, B killed: %d notices, %d e-mails arrived (each once), %d interrupted%n",
                acknowledged.size(), arrivals.size(), interrupted);
    }

    @Test
    @Order(2)
    void shouldShowMessageSentThroughOneInstanceLiveOnTheQueueOfTheOther() throws Exception {
        String session = staffSession("PROVIDER");
        b.given().cookie("bp_session", session).get("/staff/queue").then().statusCode(200);
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.Flow.Subscriber<String> reader =
                new java.util.concurrent.Flow.Subscriber<>() {
                    @Override
                    public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                        subscription.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(String line) {
                        lines.add(line);
                    }

                    @Override
                    public void onError(Throwable throwable) {}

                    @Override
                    public void onComplete() {}
                };
        CompletableFuture<HttpResponse<Void>> stream =
                client.sendAsync(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://localhost:"
                                                        + b.port()
                                                        + "/staff/queue/events"))
                                .header("Cookie", "bp_session=" + session)
                                .header("Accept", "text/event-stream")
                                .build(),
                        info -> {
                            connected.countDown(); // B answered the stream's headers: its
                            // subscription to the changes is open
                            return HttpResponse.BodySubscribers.fromLineSubscriber(reader);
                        });
        try {
            await("B's event stream to answer")
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> connected.getCount() == 0);
            // a stream that ended already was refused (a live one stays open): say with what status
            if (stream.isDone()) {
                throw new AssertionError(
                        "B's event stream ended at once with status " + stream.get().statusCode());
            }

            String message = a.create(clinic.message());
            String taskId =
                    await("the message's Task, through A")
                            .atMost(CATCH_UP)
                            .until(
                                    () ->
                                            a.fhir()
                                                                    .get(
                                                                            "/fhir/Task?focus="
                                                                                    + message)
                                                                    .then()
                                                                    .statusCode(200)
                                                                    .extract()
                                                                    .<Integer>path("total")
                                                            == 1
                                                    ? a.fhir()
                                                            .get("/fhir/Task?focus=" + message)
                                                            .then()
                                                            .extract()
                                                            .<String>path("entry[0].resource.id")
                                                    : null,
                                    id -> id != null);

            await("B's queue stream to announce the Task made from A's message")
                    .atMost(Duration.ofSeconds(60))
                    .until(
                            () ->
                                    lines.stream()
                                            .anyMatch(
                                                    line ->
                                                            line.startsWith("data:")
                                                                    && line.contains(taskId)));
            String thread =
                    postgresText(
                            "select thread_id::text from message where id = ?::uuid",
                            RemotePractice.id(message));
            b.given()
                    .cookie("bp_session", session)
                    .get("/staff/queue/rows")
                    .then()
                    .statusCode(200)
                    .body(containsString("/staff/threads/" + thread));
        } finally {
            stream.cancel(true);
        }
    }

    @Test
    @Order(3)
    void shouldSendTheAutomaticReplyTextChangedOnOneInstanceFromTheOther() {
        // B has the practice's setup in memory: a first message through B gets today's welcome (or
        // after-hours) reply
        String before = automaticReplyTo(b, newPatient());
        assertTrue(
                before.contains("This is an automatic reply")
                        || before.contains("Thank you for using secure messaging"),
                "a default automatic reply: " + before);

        String marker = "Changed on instance A " + UUID.randomUUID();
        String admin = staffSession("ADMIN");
        String csrf = "csrf-token-for-the-two-instances-test-0123456789";
        for (String name : List.of("Welcome", "After hours")) {
            a.given()
                    .cookie("bp_session", admin)
                    .cookie("bp_csrf", csrf)
                    .formParam("_csrf", csrf)
                    .formParam("kind", "automatic")
                    .formParam("name", name)
                    .formParam("body", marker + " {practice}")
                    .formParam("bodyEs", marker + " {practice}")
                    .post("/admin/triage/templates")
                    .then()
                    .statusCode(303);
        }

        // the bound: the first message B triages after A's change committed uses the new text
        String after = automaticReplyTo(b, newPatient());
        assertTrue(after.startsWith(marker), "B sent the text changed on A: " + after);
        assertNotEquals(before, after);
    }

    /** A new patient of the practice (so that their first message gets the welcome reply), created through A. */
    private static String newPatient() {
        return a.create(Builders.aPatient(clinic.practice()));
    }

    /** Sends a first message from {@code patient} through {@code instance}; answers the text of the automatic reply. */
    private static String automaticReplyTo(PackagedApp instance, String patient) {
        String message =
                instance.create(Builders.aMessage(patient, clinic.ep(), RemotePractice.TEXT));
        String thread =
                postgresText(
                        "select thread_id::text from message where id = ?::uuid",
                        RemotePractice.id(message));
        await("the automatic reply in thread " + thread)
                .atMost(CATCH_UP)
                .until(
                        () ->
                                postgres.queryForLong(
                                                "select count(*) from message where thread_id = ?::uuid and automatic",
                                                thread)
                                        == 1);
        String reply =
                postgresText(
                        "select id::text from message where thread_id = ?::uuid and automatic",
                        thread);
        return instance.fhir()
                .get("/fhir/Communication/" + reply)
                .then()
                .statusCode(200)
                .extract()
                .path("payload[0].contentString");
    }

    /**
     * A signed-in staff session of the practice with {@code role}: the login is made through the
     * provisioning API; its session row stands for a completed sign-in (password and second factor,
     * which the page tests prove), so that the test needs no browser.
     */
    private static String staffSession(String role) {
        String username = role.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
        String userId =
                a.given()
                        .header("Authorization", "Bearer " + a.token())
                        .contentType("application/json")
                        .body(
                                role.equals("PROVIDER")
                                        // a provider signs replies with their Practitioner record
                                        ? Map.of(
                                                "username",
                                                username,
                                                "displayName",
                                                "Scale " + role,
                                                "role",
                                                role,
                                                "password",
                                                PASSWORD,
                                                "practice",
                                                clinic.practice(),
                                                "practitioner",
                                                clinic.ep())
                                        : Map.of(
                                                "username",
                                                username,
                                                "displayName",
                                                "Scale " + role,
                                                "role",
                                                role,
                                                "password",
                                                PASSWORD,
                                                "practice",
                                                clinic.practice()))
                        .post("/api/logins")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id");
        String token = UUID.randomUUID() + "-" + UUID.randomUUID();
        Instant now = Instant.now();
        postgres.update(
                """
                        insert into web_session (id, token_sha256, user_id, created_at, last_seen_at, expires_at, idle_timeout_seconds, stage)
                        values (?::uuid, ?, ?::uuid, ?::timestamptz, ?::timestamptz, ?::timestamptz, 3600, 'FULL')""",
                UUID.randomUUID().toString(),
                sha256Hex(token),
                userId,
                now.toString(),
                now.toString(),
                now.plus(Duration.ofHours(2)).toString());
        return token;
    }

    private static String postgresText(String sql, String parameter) {
        try (var connection = postgres.connect();
                var statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (var result = statement.executeQuery()) {
                assertTrue(result.next(), "no row: " + sql);
                return result.getString(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
