package dev.bluepost.testing;

import dev.bluepost.identity.mfa.Totp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tests' authenticator app: remembers the TOTP secret each login enrolled (through the real
 * enrolment page, see {@link WebSession#signIn} and {@link Browser#signIn}) and computes its codes
 * from the application's clock. The application accepts each time step once (RFC 6238 §5.2) and
 * the steps next to now; the tests use the current and the next one (the previous one may already be
 * out of the window when the request arrives); when a login has used both, the next code waits for the next step
 * (a fixed {@link TestClock} is moved on by one step instead).
 */
public final class SecondFactor {

    private static final Map<String, Enrolled> ENROLLED = new ConcurrentHashMap<>();

    private record Enrolled(byte[] secret, long[] lastStep) {}

    private SecondFactor() {}

    /** Remembers the key shown on the enrolment page (base32, as a person would type it into the app). */
    public static void remember(String username, String base32Secret) {
        ENROLLED.put(
                username.toLowerCase(java.util.Locale.ROOT),
                new Enrolled(Totp.fromBase32(base32Secret), new long[] {Long.MIN_VALUE}));
    }

    public static boolean knows(String username) {
        return ENROLLED.containsKey(username.toLowerCase(java.util.Locale.ROOT));
    }

    public static byte[] secretOf(String username) {
        return ENROLLED.get(username.toLowerCase(java.util.Locale.ROOT)).secret();
    }

    /** A code the application will accept now and has not seen before. */
    public static String code(String username) {
        Enrolled enrolled = ENROLLED.get(username.toLowerCase(java.util.Locale.ROOT));
        if (enrolled == null) {
            throw new AssertionError("no second factor enrolled by the tests for " + username);
        }
        synchronized (enrolled) {
            while (true) {
                long now = Totp.step(now());
                // the current step or the next, never the one before: a code of the previous step
                // is refused when
                // the request reaches the server just after a step boundary (a busy machine), so it
                // is not offered
                long step = Math.max(now, enrolled.lastStep()[0] + 1);
                if (step <= now + 1) {
                    enrolled.lastStep()[0] = step;
                    return Totp.code(enrolled.secret(), step);
                }
                waitForNextStep();
            }
        }
    }

    /** The application's clock (the {@link TestClock} when the tests run in its JVM). */
    public static Instant now() {
        return testClock().map(Clock::instant).orElseGet(Instant::now);
    }

    private static void waitForNextStep() {
        var clock = testClock();
        if (clock.isPresent() && clock.get().isFixed()) {
            clock.get().advance(Duration.ofSeconds(Totp.PERIOD_SECONDS));
            return;
        }
        long millis =
                Totp.PERIOD_SECONDS * 1000L
                        - Math.floorMod(Instant.now().toEpochMilli(), Totp.PERIOD_SECONDS * 1000L);
        try {
            Thread.sleep(millis + 50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static java.util.Optional<TestClock> testClock() {
        try {
            var container = io.quarkus.arc.Arc.container();
            if (container == null || !container.isRunning()) {
                return java.util.Optional.empty();
            }
            var handle = container.instance(TestClock.class);
            return handle.isAvailable()
                    ? java.util.Optional.of(handle.get())
                    : java.util.Optional.empty();
        } catch (RuntimeException | NoClassDefFoundError e) {
            return java.util.Optional.empty();
        }
    }
}
