package dev.bluepost.measurement.engine;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The CEHRT history of locations (table {@code location_cehrt_change}, ADR 0042), read once per report,
 * and the rule of docs/measures.md §2.3: an encounter's location counts as equipped with CEHRT only if it
 * was equipped on the first day of the reporting period and on every day from then to the encounter's.
 */
final class CehrtHistory {

    /** One change: equipped or not from {@code from} on (inclusive). */
    record Change(boolean equipped, LocalDate from) {}

    private final Map<UUID, List<Change>> byLocation;

    CehrtHistory(Map<UUID, List<Change>> byLocation) {
        this.byLocation = byLocation;
    }

    /** The history of these locations, oldest change first (one statement). */
    static CehrtHistory read(Connection c, Collection<UUID> locations) throws SQLException {
        Map<UUID, List<Change>> byLocation = new HashMap<>();
        if (locations.isEmpty()) {
            return new CehrtHistory(byLocation);
        }
        try (PreparedStatement s =
                c.prepareStatement(
                        "select location_id, equipped, effective_from from location_cehrt_change "
                                + "where location_id = any(?) order by location_id, effective_from, id")) {
            Array ids = c.createArrayOf("uuid", locations.toArray());
            s.setArray(1, ids);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    byLocation
                            .computeIfAbsent(r.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new Change(r.getBoolean(2), r.getObject(3, LocalDate.class)));
                }
            }
        }
        return new CehrtHistory(byLocation);
    }

    /**
     * Whether the location had CEHRT on every day from {@code periodStart} to {@code day} (both inclusive);
     * a location without history has its flag ({@code flag}) throughout.
     */
    boolean equippedThroughout(UUID location, LocalDate periodStart, LocalDate day, boolean flag) {
        List<Change> changes = byLocation.get(location);
        if (changes == null || changes.isEmpty()) {
            return flag;
        }
        if (!equippedOn(changes, periodStart)) {
            return false;
        }
        for (Change change : changes) {
            if (change.from().isAfter(periodStart)
                    && !change.from().isAfter(day)
                    && !equippedOn(changes, change.from())) {
                return false;
            }
        }
        return true;
    }

    /** The flag in effect on a day: the last change from that day or before (none: equipped, the FHIR default). */
    static boolean equippedOn(List<Change> changes, LocalDate day) {
        Boolean equipped = null;
        for (Change change : changes) {
            if (!change.from().isAfter(day)) {
                equipped = change.equipped();
            }
        }
        return equipped == null || equipped;
    }
}
