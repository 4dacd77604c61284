package dev.bluepost.triage.rules;

import java.time.Duration;
import java.time.Instant;

/**
 * How often one rule may send its automatic reply in one thread: once per thread (the default), or
 * again once a time has passed since its last reply there ({@code cooldown 24 hours}).
 *
 * @param repeatAfter null for once per thread
 */
public record Cooldown(Duration repeatAfter) {

    public static final Cooldown ONCE_PER_THREAD = new Cooldown(null);

    public Cooldown {
        if (repeatAfter != null && (repeatAfter.isZero() || repeatAfter.isNegative())) {
            throw new IllegalArgumentException("a cooldown is positive");
        }
    }

    public static Cooldown after(Duration repeatAfter) {
        return new Cooldown(repeatAfter);
    }

    public boolean oncePerThread() {
        return repeatAfter == null;
    }

    /** Whether the rule may reply again in a thread where it last replied at {@code lastSent}. */
    public boolean allowsAnother(Instant lastSent, Instant now) {
        return !oncePerThread() && !lastSent.plus(repeatAfter).isAfter(now);
    }

    /** As the rule language writes it, e.g. "once per thread" or "24 hours". */
    public String describe() {
        if (oncePerThread()) {
            return "once per thread";
        }
        long minutes = repeatAfter.toMinutes();
        if (minutes >= 2 * 24 * 60 && minutes % (24 * 60) == 0) {
            return minutes / (24 * 60) + " days";
        }
        return minutes % 60 == 0 ? plural(minutes / 60, "hour") : plural(minutes, "minute");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
