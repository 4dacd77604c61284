package dev.bluepost.audit;

import dev.bluepost.platform.BackgroundLoop;
import dev.bluepost.platform.errors.SafeThrowables;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Links the audit journal into the hash chain (docs/adr/0032-message-path-under-load.md): a
 * background thread, woken after every commit that journaled entries (and every poll interval),
 * links them in batches, each batch one transaction under the chain head's lock. Several instances
 * may run it; the head's row lock makes them take turns. Readers of the audit log call
 * {@link #catchUp} first, so they see every entry committed before they asked.
 */
@ApplicationScoped
public class AuditChainer {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);
    private static final Duration BATCH_GATHER = Duration.ofMillis(100);

    private final AuditChain chain;
    private final int batchSize;
    private final BackgroundLoop loop;
    private final AtomicLong linked = new AtomicLong();

    AuditChainer(
            AuditChain chain,
            MeterRegistry metrics,
            @ConfigProperty(name = "bluepost.audit.chain-batch-size", defaultValue = "1000")
                    int batchSize,
            @ConfigProperty(name = "bluepost.audit.chain-poll-interval", defaultValue = "PT1S")
                    Duration pollInterval) {
        this.chain = chain;
        this.batchSize = batchSize;
        // entries gather for 100 ms after a round: one chain-head lock per batch, not per committed
        // transaction
        this.loop =
                new BackgroundLoop(
                        "audit-chainer",
                        "audit chainer",
                        pollInterval,
                        MAX_BACKOFF,
                        BATCH_GATHER,
                        this::catchUp);
        Gauge.builder("bluepost.audit.chained", linked, AtomicLong::get)
                .description(
                        "Audit entries linked into the hash chain by this instance since it started")
                .register(metrics);
    }

    void start(@Observes @Priority(2100) StartupEvent event) {
        loop.start();
    }

    void stop(@Observes @Priority(10) ShutdownEvent event) throws InterruptedException {
        loop.stop();
        try {
            catchUp(); // what this instance journaled last (a command's own entries) is linked
            // before it exits
        } catch (RuntimeException e) {
            Log.warnf(
                    "audit chainer: entries left in the journal for the next instance: %s",
                    SafeThrowables.describe(e).lines().findFirst().orElse(""));
        }
    }

    /** A transaction that journaled entries committed. */
    void wakeUp() {
        loop.wakeUp();
    }

    /** Links everything journaled so far, on the caller's thread (each batch its own transaction). */
    public void catchUp() {
        while (linkBatch() == batchSize) {
            // a full batch: there may be more
        }
    }

    private int linkBatch() {
        int n = QuarkusTransaction.requiringNew().call(() -> chain.linkJournal(batchSize));
        linked.addAndGet(n);
        return n;
    }
}
