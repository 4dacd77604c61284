package dev.bluepost.platform.db;

import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.function.Supplier;

/**
 * A value read once per transaction and kept among the transaction's resources (it is gone with the
 * transaction): for settings that a message's transaction asks for several times and that may
 * change between transactions (docs/adr/0032-message-path-under-load.md).
 */
public final class PerTransaction {

    private PerTransaction() {}

    /** The value kept under {@code key} in the running transaction, read with {@code read} the first time. */
    @SuppressWarnings("unchecked")
    public static <T> T once(
            TransactionSynchronizationRegistry transactions, Object key, Supplier<T> read) {
        T known = (T) transactions.getResource(key);
        if (known == null) {
            known = read.get();
            transactions.putResource(key, known);
        }
        return known;
    }
}
