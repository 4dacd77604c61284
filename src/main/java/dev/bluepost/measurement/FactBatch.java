package dev.bluepost.measurement;

import dev.bluepost.measurement.engine.FactRecorder;
import dev.bluepost.measurement.engine.FactRecorder.AssignmentFact;
import dev.bluepost.measurement.engine.FactRecorder.MessageFact;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The facts a listener's transaction collects from its batch of events, stored together just before
 * it commits: two statements for all its messages and their recipients, one for its assignments,
 * instead of three per event (the statement triggers that keep the measures' aggregates current
 * then run once per batch). A batch that fails is applied again record by record
 * ({@code EventHandling}), each record then in a transaction, and a batch, of its own.
 */
@ApplicationScoped
class FactBatch {

    private final TransactionSynchronizationRegistry transactions;
    private final MeasurementService measurement;
    private final Clock clock;

    FactBatch(
            TransactionSynchronizationRegistry transactions,
            MeasurementService measurement,
            Clock clock) {
        this.transactions = transactions;
        this.measurement = measurement;
        this.clock = clock;
    }

    /** The facts collected so far in the running transaction. */
    private static final class Pending {
        final List<MessageFact> messages = new ArrayList<>();
        final List<AssignmentFact> assignments = new ArrayList<>();
    }

    /** Adds a message fact to the running transaction's batch. */
    void message(MessageFact fact) {
        pending().messages.add(fact);
    }

    /** Adds an assignment fact to the running transaction's batch. */
    void assignment(AssignmentFact fact) {
        pending().assignments.add(fact);
    }

    private Pending pending() {
        Pending pending = (Pending) transactions.getResource(Pending.class);
        if (pending == null) {
            Pending created = new Pending();
            transactions.putResource(Pending.class, created);
            transactions.registerInterposedSynchronization(
                    new Synchronization() {
                        @Override
                        public void beforeCompletion() {
                            FactRecorder facts = measurement.facts();
                            facts.recordMessages(created.messages, clock.instant());
                            facts.recordAssignments(created.assignments);
                        }

                        @Override
                        public void afterCompletion(int status) {
                            // nothing kept: the lists die with the transaction
                        }
                    });
            pending = created;
        }
        return pending;
    }
}
