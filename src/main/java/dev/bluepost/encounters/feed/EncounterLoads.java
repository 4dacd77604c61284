package dev.bluepost.encounters.feed;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a bulk load of encounters (an import job, the EHR topic's chunks) tells the feature that keeps
 * figures derived from encounters up to date with triggers: measurement's aggregates (ADR 0031).
 * Encounters own this interface and measurement implements it, so encounters sit below measurement
 * and never import it (docs/architecture.md, "Dependency rules").
 */
public interface EncounterLoads {

    /**
     * Called inside a chunk's transaction, on its connection, before the chunk is written: the
     * figures' upkeep may only mark what the chunk changes, to catch up once at the end.
     */
    void deferUpkeep(Connection chunk) throws SQLException;

    /** Called when a load ends (or at start-up, after a load a restart cut short); returns how many encounters it caught up. */
    int catchUp();
}
