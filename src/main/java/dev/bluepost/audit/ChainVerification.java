package dev.bluepost.audit;

/**
 * The result of {@link AuditRecorder#verify()}: the chain is intact, or the first broken link with
 * what broke it. {@code headSequence} and {@code headHash} identify the chain's end as verified;
 * recorded outside the database, they let a later verification prove that nothing before them
 * was rewritten (docs/operations.md).
 *
 * @param brokenAt the sequence number of the first entry found broken (null when intact)
 * @param detail   a sentence naming entries by sequence number only (null when intact)
 */
public record ChainVerification(
        boolean intact,
        long checkedEntries,
        long headSequence,
        String headHash,
        Long brokenAt,
        Breach breach,
        String detail) {

    /** How a chain was found broken. */
    public enum Breach {
        /** An entry's content no longer matches its hash, or its hash no longer matches the next entry's link. */
        CHANGED,
        /** Entries are missing: a gap in the sequence numbers, or fewer entries than the chain head records. */
        DELETED,
        /** An intact entry stands at a sequence number other than the one it was written at. */
        REORDERED,
        /** Entries exist beyond the chain head, so they were not appended through the chain. */
        INSERTED
    }

    static ChainVerification intact(long checked, AuditChain.Head head) {
        return new ChainVerification(true, checked, head.sequence(), head.hash(), null, null, null);
    }

    static ChainVerification broken(
            long checked, AuditChain.Head head, long at, Breach breach, String detail) {
        return new ChainVerification(
                false, checked, head.sequence(), head.hash(), at, breach, detail);
    }

    /** One line for operators and logs (ids and numbers only). */
    public String summary() {
        return intact
                ? "audit chain intact entries="
                        + checkedEntries
                        + " head="
                        + headSequence
                        + " headHash="
                        + headHash
                : "audit chain BROKEN at="
                        + brokenAt
                        + " breach="
                        + breach
                        + " entriesBefore="
                        + checkedEntries
                        + " head="
                        + headSequence
                        + " detail="
                        + detail;
    }
}
