package dev.bluepost.measurement;

import dev.bluepost.encounters.feed.EncounterLoads;
import dev.bluepost.measurement.engine.MeasureAggregates;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Keeps the measures' aggregates across a bulk load of encounters: each chunk only marks its
 * encounters stale, and one set-based refresh catches up when the load ends (ADR 0031).
 */
@ApplicationScoped
class MeasureAggregatesUpkeep implements EncounterLoads {

    private final DataSource dataSource;

    MeasureAggregatesUpkeep(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void deferUpkeep(Connection chunk) throws SQLException {
        MeasureAggregates.deferRefresh(chunk);
    }

    @Override
    public int catchUp() {
        return MeasureAggregates.refreshStale(dataSource);
    }
}
