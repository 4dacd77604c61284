package dev.bluepost.testing;

import static org.awaitility.Awaitility.await;

import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}, prod profile) as a child
 * process, configured the way an operator configures it (environment variables, a KEK, a PEM
 * signing key). It can be stopped, killed with SIGKILL and started again with the same
 * configuration and keys on the same HTTP port. Output goes to {@code app.log} in the work directory.
 */
public final class PackagedApp implements AutoCloseable {

    public static final String CLIENT_ID = "bluepost-system";
    public static final String FHIR_JSON = "application/fhir+json";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Test-only consumer setting: a consumer killed with SIGKILL keeps its partitions until its
     * session times out (Kafka's default is 45 s); 6 s (the broker's minimum) keeps the restart
     * tests short. Nothing else differs from production.
     */
    private static final List<String> TEST_SYSTEM_PROPERTIES =
            List.of(
                    "mp.messaging.incoming.triage-message-events.session.timeout.ms=6000",
                    "mp.messaging.incoming.triage-message-events.heartbeat.interval.ms=2000");

    private final Path workDirectory;
    private final Path logFile;
    private final Path pidFile;
    private final Map<String, String> environment;
    private final String clientSecret;
    private final int port;

    /** The management interface (metrics): a port of its own, never the fixed default another process may hold. */
    private final int managementPort;

    private Process process;
    private List<String> runningWith = List.of();
    private String token;

    public PackagedApp(
            Path workDirectory, RestartablePostgres postgres, ExternalKafkaBroker kafka) {
        this(workDirectory, postgres, kafka.bootstrapServers());
    }

    /** The application against PostgreSQL and the Kafka brokers at {@code bootstrapServers} (one or a cluster). */
    public PackagedApp(Path workDirectory, RestartablePostgres postgres, String bootstrapServers) {
        this(workDirectory, null, postgres, bootstrapServers);
    }

    /**
     * Another instance of the same deployment, as an operator scales out: the same database, brokers,
     * KEK, token signing key and system client secret (and every other setting of this one), its own
     * HTTP and management ports, data directory and log under {@code workDirectory}.
     */
    public PackagedApp anotherInstance(Path workDirectory) {
        synchronized (this) {
            return new PackagedApp(workDirectory, this, null, null);
        }
    }

    private PackagedApp(
            Path workDirectory,
            PackagedApp sibling,
            RestartablePostgres postgres,
            String bootstrapServers) {
        this.workDirectory = workDirectory.toAbsolutePath();
        this.logFile = this.workDirectory.resolve("app.log");
        this.pidFile = this.workDirectory.resolve("app.pid");
        this.port = FreePorts.pick();
        this.managementPort = FreePorts.pick();
        this.clientSecret =
                sibling != null
                        ? sibling.clientSecret
                        : HexFormat.of()
                                .formatHex(
                                        randomBytes(
                                                24)); // Basic credentials are form-decoded: no '+'
        try {
            Files.createDirectories(this.workDirectory);
            ChildProcesses.killLeftover(pidFile);
            Files.deleteIfExists(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (sibling != null) {
            this.environment = new java.util.HashMap<>(sibling.environment);
            this.environment.put(
                    "BLUEPOST_DATA_DIR", this.workDirectory.resolve("data").toString());
            this.environment.put("BLUEPOST_PUBLIC_URL", "http://localhost:" + port);
            return;
        }
        this.environment =
                new java.util.HashMap<>(
                        Map.ofEntries(
                                Map.entry("BLUEPOST_DB_URL", postgres.jdbcUrl()),
                                Map.entry("BLUEPOST_DB_USER", RestartablePostgres.USER),
                                Map.entry("BLUEPOST_DB_PASSWORD", RestartablePostgres.PASSWORD),
                                Map.entry("BLUEPOST_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers),
                                Map.entry(
                                        "BLUEPOST_KEK",
                                        Base64.getEncoder().encodeToString(randomBytes(32))),
                                Map.entry("BLUEPOST_KEK_ID", "kek-it"),
                                Map.entry(
                                        "BLUEPOST_SIGNING_KEY",
                                        writeSigningKey(
                                                        this.workDirectory.resolve(
                                                                "token-signing.pem"))
                                                .toString()),
                                Map.entry("BLUEPOST_SYSTEM_CLIENT_SECRET", clientSecret),
                                Map.entry(
                                        "BLUEPOST_DATA_DIR",
                                        this.workDirectory.resolve("data").toString()),
                                // required in production for notification e-mails; the ITs' logins
                                // have no address, so none is sent
                                Map.entry("BLUEPOST_PUBLIC_URL", "http://localhost:" + port),
                                Map.entry(
                                        "BLUEPOST_MAIL_FROM",
                                        "Bluepost <no-reply@bluepost.invalid>")));
    }

    /** Starts the application with extra {@code key=value} system properties and waits until it is ready. */
    public synchronized PackagedApp start(String... systemProperties) {
        if (process != null) {
            throw new IllegalStateException("the application is already running");
        }
        ProcessBuilder builder =
                javaCommand(List.of(systemProperties))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        appendToLog(
                "----- starting the application on port "
                        + port
                        + " "
                        + String.join(" ", systemProperties)
                        + " -----");
        process = ChildProcesses.start(builder, pidFile);
        runningWith = List.of(systemProperties);
        token = null;
        Process started = process;
        await("the application to be ready on port " + port)
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .failFast(
                        "the application process exited; see " + logFile, () -> !started.isAlive())
                .until(() -> readinessStatus() == 200);
        return this;
    }

    /** What a command of the packaged application printed, and its exit status. */
    public record CommandResult(int exitStatus, String output) {}

    /**
     * Runs {@code java -jar quarkus-run.jar <args>} with this application's configuration (and any
     * changes made with {@link #setEnvironment}) plus {@code key=value} system properties, and
     * waits for it to exit. Its output is also appended to the application's log.
     */
    public CommandResult runCommand(List<String> systemProperties, String... args) {
        Path output = workDirectory.resolve("command.out");
        ProcessBuilder builder =
                javaCommand(systemProperties)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.to(output.toFile()));
        builder.command().addAll(List.of(args));
        appendToLog("----- running the command " + String.join(" ", args) + " -----");
        try {
            Process process = builder.start();
            if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "the command "
                                + String.join(" ", args)
                                + " did not finish in "
                                + START_TIMEOUT);
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            appendToLog(
                    printed + "----- the command exited with " + process.exitValue() + " -----");
            return new CommandResult(process.exitValue(), printed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Changes an environment variable for the next start and command (e.g. a new BLUEPOST_KEK). */
    public synchronized void setEnvironment(String name, String value) {
        environment.put(name, value);
    }

    /** The configured environment variable (e.g. the current BLUEPOST_KEK, to list it as retired). */
    public synchronized String environment(String name) {
        return environment.get(name);
    }

    private ProcessBuilder javaCommand(List<String> systemProperties) {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: package the application first (./mvnw package)");
        }
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                // JVM options for a short-lived test process on a small machine
                                // (faster start, fewer threads)
                                "-Xmx512m",
                                "-XX:TieredStopAtLevel=1",
                                "-XX:+UseSerialGC",
                                "-Dquarkus.http.port=" + port,
                                "-Dquarkus.management.port=" + managementPort,
                                "-Dquarkus.management.host=127.0.0.1"));
        TEST_SYSTEM_PROPERTIES.forEach(p -> command.add("-D" + p));
        for (String property : systemProperties) {
            command.add("-D" + property);
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile());
        builder.environment()
                .keySet()
                .removeIf(name -> name.startsWith("BLUEPOST_") || name.startsWith("QUARKUS_"));
        builder.environment().putAll(environment);
        return builder;
    }

    /**
     * Makes sure the application runs with exactly these system properties: a no-op when it already
     * does, otherwise a (re)start. Lets the tests of a class share one application where they can.
     */
    public synchronized PackagedApp ensureRunning(String... systemProperties) {
        if (isRunning() && runningWith.equals(List.of(systemProperties))) {
            return this;
        }
        stop();
        return start(systemProperties);
    }

    /** Graceful stop (SIGTERM). */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        ChildProcesses.stop(process, pidFile, 30);
        process = null;
        appendToLog("----- application stopped -----");
    }

    /** What {@link #kill()} ended: the pid and the exit status (137 = 128 + 9 when SIGKILL ended it). */
    public record Killed(long pid, int exitStatus) {}

    /** Kills the application with SIGKILL (no shutdown hook, no graceful close of anything) and waits until it is gone. */
    public synchronized Killed kill() {
        if (process == null) {
            throw new IllegalStateException("the application is not running");
        }
        Process killed = process;
        killed.destroyForcibly();
        try {
            if (!killed.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the application survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        ChildProcesses.forget(killed, pidFile);
        process = null;
        appendToLog(
                "----- application killed (SIGKILL), exit status " + killed.exitValue() + " -----");
        return new Killed(killed.pid(), killed.exitValue());
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    /** A request to the application (bounded timeouts, so that a hanging server fails the test instead of blocking it). */
    public RequestSpecification given() {
        return RestAssured.given()
                .config(
                        RestAssuredConfig.config()
                                .httpClient(
                                        HttpClientConfig.httpClientConfig()
                                                .setParam("http.connection.timeout", 5_000)
                                                .setParam("http.socket.timeout", 60_000)))
                .baseUri("http://localhost")
                .port(port)
                .redirects()
                .follow(false);
    }

    /** The HTTP status of {@code /q/health/ready}, or -1 when nothing answers. */
    public int readinessStatus() {
        try {
            return given().get("/q/health/ready").statusCode();
        } catch (Exception e) { // REST Assured rethrows the ConnectException undeclared
            return -1;
        }
    }

    /** A system-client access token ({@code POST /oauth/token}, client credentials), cached until the next start. */
    public synchronized String token() {
        if (token == null) {
            token =
                    given().auth()
                            .preemptive()
                            .basic(CLIENT_ID, clientSecret)
                            .formParam("grant_type", "client_credentials")
                            .post("/oauth/token")
                            .then()
                            .statusCode(200)
                            .extract()
                            .path("access_token");
        }
        return token;
    }

    /** A FHIR request as the system client. */
    public RequestSpecification fhir() {
        return given().header("Authorization", "Bearer " + token())
                .contentType(FHIR_JSON)
                .accept(FHIR_JSON);
    }

    public Response post(IBaseResource resource) {
        return fhir().body(Fhir.json(resource)).post("/fhir/" + resource.fhirType());
    }

    /** Creates {@code resource} (asserting 201) and returns its reference, e.g. {@code Patient/123}. */
    public String create(IBaseResource resource) {
        String location = post(resource).then().statusCode(201).extract().header("Location");
        String[] parts = location.substring(location.indexOf("/fhir/") + 6).split("/");
        return parts[0] + "/" + parts[1];
    }

    @Override
    public void close() {
        stop();
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(
                    logFile,
                    line + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes(int count) {
        byte[] random = new byte[count];
        RANDOM.nextBytes(random);
        return random;
    }

    /** A fresh RSA key for signing access tokens, as PKCS#8 PEM (what BLUEPOST_SIGNING_KEY names in production). */
    private static Path writeSigningKey(Path file) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String pem =
                    "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                    .encodeToString(
                                            generator.generateKeyPair().getPrivate().getEncoded())
                            + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(file, pem, StandardCharsets.US_ASCII);
            return file;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is always available", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
