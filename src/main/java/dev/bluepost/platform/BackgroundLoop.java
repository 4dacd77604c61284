package dev.bluepost.platform;

import dev.bluepost.platform.errors.SafeThrowables;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A daemon thread that runs one round of work whenever it is woken (after a commit that left work
 * for it) and at least every poll interval; a failed round is logged without its details beyond the
 * first line and retried with doubling back-off up to a maximum. The outbox relay and the audit
 * chainer are such loops.
 */
public final class BackgroundLoop {

    /** One round of the loop's work. */
    @FunctionalInterface
    public interface Round {
        void run() throws InterruptedException;
    }

    private final String name;
    private final String logName;
    private final Duration pollInterval;
    private final Duration maxBackoff;
    private final Duration pauseAfterRound;
    private final Round round;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private Thread worker;

    /**
     * @param name            the thread's name
     * @param logName         how the log calls it ("outbox relay paused for … ms")
     * @param pauseAfterRound a pause after each successful round (lets work gather into batches), zero for none
     */
    public BackgroundLoop(
            String name,
            String logName,
            Duration pollInterval,
            Duration maxBackoff,
            Duration pauseAfterRound,
            Round round) {
        this.name = name;
        this.logName = logName;
        this.pollInterval = pollInterval;
        this.maxBackoff = maxBackoff;
        this.pauseAfterRound = pauseAfterRound;
        this.round = round;
    }

    public void start() {
        running = true;
        worker = new Thread(this::loop, name);
        worker.setDaemon(true);
        worker.start();
    }

    /** Stops the loop, waiting up to 10 s for the round in progress. */
    public void stop() throws InterruptedException {
        running = false;
        if (worker != null) {
            wakeUp.release();
            worker.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /** There is work: run a round soon (at most one wake-up is kept). */
    public void wakeUp() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    private void loop() {
        Duration wait = pollInterval;
        while (running) {
            try {
                wakeUp.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
                if (!running) {
                    break;
                }
                round.run();
                wait = pollInterval;
                if (!pauseAfterRound.isZero()) {
                    Thread.sleep(pauseAfterRound.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                wait =
                        wait.multipliedBy(2).compareTo(maxBackoff) > 0
                                ? maxBackoff
                                : wait.multipliedBy(2);
                Log.warnf(
                        "%s paused for %d ms: %s",
                        logName,
                        wait.toMillis(),
                        SafeThrowables.describe(e).lines().findFirst().orElse(""));
            }
        }
    }
}
