package dev.bluepost.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Patient messages sent at a steady rate, from outside, to the given instances in turn (as a load
 * balancer would), for a bounded time and count; a send is acknowledged when it answers 201. Keeps
 * the acknowledged message ids, and counts every other answer by status (-1: no answer at all,
 * e.g. the instance is down). Only ever sends to the test's own loopback servers.
 */
public final class SteadyLoad implements AutoCloseable {

    /** What one send ended with: the message id when acknowledged, else the status (-1: no answer). */
    private record Outcome(String messageId, int status, long atMillis, boolean retryAfter) {}

    private final List<PackagedApp> instances;

    /**
     * Each instance's access token, taken once before the load: tokens outlive a restart (every
     * instance has the same signing key), and asking a stopped or starting instance for one would
     * wait on it instead of failing the way a client's request to a dead instance fails.
     */
    private final List<String> tokens;

    private final RemotePractice practice;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService senders = Executors.newFixedThreadPool(8);
    private final AtomicInteger sent = new AtomicInteger();
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final long startedAt = System.currentTimeMillis();
    private final int maxMessages;

    private SteadyLoad(
            List<PackagedApp> instances,
            RemotePractice practice,
            int perSecond,
            Duration duration) {
        this.instances = List.copyOf(instances);
        this.tokens = this.instances.stream().map(PackagedApp::token).toList();
        this.practice = practice;
        this.maxMessages = (int) (perSecond * duration.toSeconds());
        ticker.scheduleAtFixedRate(this::sendOne, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
    }

    /** Starts sending {@code perSecond} messages a second for {@code duration} (then stops by itself). */
    public static SteadyLoad start(
            List<PackagedApp> instances,
            RemotePractice practice,
            int perSecond,
            Duration duration) {
        return new SteadyLoad(instances, practice, perSecond, duration);
    }

    private void sendOne() {
        int n = sent.getAndIncrement();
        if (n >= maxMessages) {
            ticker.shutdown();
            return;
        }
        PackagedApp target = instances.get(n % instances.size());
        String token = tokens.get(n % instances.size());
        senders.submit(
                () -> {
                    long at = System.currentTimeMillis() - startedAt;
                    try {
                        var response =
                                target.given()
                                        .header("Authorization", "Bearer " + token)
                                        .contentType(PackagedApp.FHIR_JSON)
                                        .accept(PackagedApp.FHIR_JSON)
                                        .body(Fhir.json(practice.message()))
                                        .post("/fhir/Communication");
                        if (response.statusCode() == 201) {
                            String location = response.header("Location");
                            String[] parts =
                                    location.substring(location.indexOf("/fhir/") + 6).split("/");
                            outcomes.add(new Outcome(parts[1], 201, at, false));
                        } else {
                            String retryAfter = response.header("Retry-After");
                            outcomes.add(
                                    new Outcome(
                                            null,
                                            response.statusCode(),
                                            at,
                                            retryAfter != null
                                                    && retryAfter.matches("[1-9][0-9]*")));
                        }
                    } catch (Exception e) { // refused connection or timeout: the instance is down
                        outcomes.add(new Outcome(null, -1, at, false));
                    }
                });
    }

    /** Waits until every message has been sent and answered (bounded by the duration plus a minute). */
    public SteadyLoad awaitEnd() {
        try {
            long waitSeconds = maxMessages + 60L;
            if (!ticker.awaitTermination(waitSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the load did not finish sending");
            }
            senders.shutdown();
            if (!senders.awaitTermination(90, TimeUnit.SECONDS)) {
                throw new IllegalStateException("sends still unanswered after 90 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** The ids of the acknowledged (201) messages. */
    public List<String> acknowledged() {
        List<String> ids = new ArrayList<>();
        outcomes.stream().filter(o -> o.messageId() != null).forEach(o -> ids.add(o.messageId()));
        return ids;
    }

    /** Acknowledged sends whose answer came between {@code fromMillis} and {@code toMillis} after the start. */
    public long acknowledgedBetween(long fromMillis, long toMillis) {
        return outcomes.stream()
                .filter(
                        o ->
                                o.messageId() != null
                                        && o.atMillis() >= fromMillis
                                        && o.atMillis() < toMillis)
                .count();
    }

    /** How many sends ended with each status other than 201 (-1: no answer). */
    public Map<Integer, Long> refusals() {
        Map<Integer, Long> counts = new TreeMap<>();
        outcomes.stream()
                .filter(o -> o.messageId() == null)
                .forEach(o -> counts.merge(o.status(), 1L, Long::sum));
        return counts;
    }

    /** Answers 503 that came without a {@code Retry-After} of whole seconds (a client would not know when to retry). */
    public long unavailableWithoutRetryAfter() {
        return outcomes.stream().filter(o -> o.status() == 503 && !o.retryAfter()).count();
    }

    /** When (ms after the start) the first send made at or after {@code fromMillis} was acknowledged; -1 if none was. */
    public long firstAcknowledgedFrom(long fromMillis) {
        return outcomes.stream()
                .filter(o -> o.messageId() != null && o.atMillis() >= fromMillis)
                .mapToLong(Outcome::atMillis)
                .min()
                .orElse(-1);
    }

    /** Milliseconds since the load started. */
    public long elapsedMillis() {
        return System.currentTimeMillis() - startedAt;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        senders.shutdownNow();
    }
}
