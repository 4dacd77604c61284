package dev.bluepost.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The audit log as the tests read it: one "ACTION outcome reason" line per entry of a login, oldest first. */
public final class AuditRows {

    private AuditRows() {}

    public static List<String> ofUser(UUID userId) {
        return query("actor_user_id = ?", userId);
    }

    public static List<String> query(String where, Object... parameters) {
        AuditJournal.settle();
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query =
                        db.prepareStatement(
                                "select action, outcome, reason_code, resource_type, resource_id "
                                        + "from audit_event where "
                                        + where
                                        + " order by sequence_number")) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet r = query.executeQuery()) {
                while (r.next()) {
                    rows.add(
                            r.getString(1)
                                    + " "
                                    + r.getString(2)
                                    + " "
                                    + r.getString(3)
                                    + (r.getString(4) == null
                                            ? ""
                                            : " " + r.getString(4) + "/" + r.getString(5)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
