package dev.bluepost.triage;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.persistence.EntityManager;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The time-based rule job expects one failure, the database being away, and waits for its next run
 * then; any other failure is a defect and is logged (types and frames, never messages), not swallowed.
 */
@QuarkusTest
class TimedRuleEventsFailureIT {

    private final Logger logger = Logger.getLogger(TimedRuleEvents.class.getName());
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture =
            new Handler() {
                @Override
                public void publish(LogRecord record) {
                    records.add(record);
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };

    @BeforeEach
    void listen() {
        logger.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(capture);
    }

    @Test
    void shouldLogAnUnexpectedFailureInsteadOfReturningSilently() {
        jobWhoseQueryFails(
                        new IllegalStateException(
                                "a defect with patient-text-that-must-not-be-logged"))
                .run();

        assertThat(errors())
                .singleElement()
                .satisfies(
                        line ->
                                assertThat(line)
                                        .contains(
                                                "timed rule events failed",
                                                IllegalStateException.class.getName())
                                        .doesNotContain("patient-text-that-must-not-be-logged"));
    }

    @Test
    void shouldWaitQuietlyForTheNextRunWhenTheDatabaseIsAway() {
        jobWhoseQueryFails(
                        new jakarta.persistence.PersistenceException(
                                new SQLException("connection refused", "08001")))
                .run();

        assertThat(errors()).isEmpty();
    }

    private List<String> errors() {
        return records.stream()
                .filter(r -> r.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(
                        r ->
                                r.getParameters() == null
                                        ? r.getMessage()
                                        : String.format(r.getMessage(), r.getParameters()))
                .toList();
    }

    private static TimedRuleEvents jobWhoseQueryFails(RuntimeException failure) {
        EntityManager em =
                (EntityManager)
                        Proxy.newProxyInstance(
                                TimedRuleEventsFailureIT.class.getClassLoader(),
                                new Class<?>[] {EntityManager.class},
                                (proxy, method, args) -> {
                                    throw failure;
                                });
        return new TimedRuleEvents(em, null, null, null, null, Clock.systemUTC());
    }
}
