package dev.bluepost.triage;

import dev.bluepost.platform.errors.ErrorClassifier;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.concurrent.Callable;

/**
 * How the triage jobs work through what has come due (SLA clocks, time-based rule events): one unit
 * at a time, each in a transaction of its own, up to a bound per run, stopping when nothing is left
 * or the database is away. Each unit claims its work in its own transaction (row lock or a unique
 * "fired" row), so reruns, restarts and concurrent instances never repeat it.
 */
final class DueWork {

    static final int MAX_PER_RUN = 200;

    private DueWork() {}

    /** Calls {@code one} (true = did something, look again) until it finds nothing, in new transactions. */
    static void drain(String what, Callable<Boolean> one) {
        for (int i = 0; i < MAX_PER_RUN; i++) {
            try {
                if (!QuarkusTransaction.requiringNew().call(one)) {
                    return;
                }
            } catch (RuntimeException e) {
                if (!ErrorClassifier.isDatabaseUnavailable(e)) {
                    Log.errorf("%s failed: %s", what, e.getClass().getName());
                }
                return;
            }
        }
    }
}
