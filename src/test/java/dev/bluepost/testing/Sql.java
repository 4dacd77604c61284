package dev.bluepost.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Plain SQL against the tests' embedded PostgreSQL, for checking what the application wrote. */
public final class Sql {

    private Sql() {}

    /** The first column of the first row as text, or null when there is no row. */
    public static String single(String sql, Object... parameters) {
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query = prepared(db, sql, parameters);
                ResultSet r = query.executeQuery()) {
            return r.next() ? r.getString(1) : null;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** A {@code select count(*) …}. */
    public static long count(String sql, Object... parameters) {
        return Long.parseLong(single(sql, parameters));
    }

    /** An insert, update or delete; answers how many rows it changed. */
    public static int update(String sql, Object... parameters) {
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement update = prepared(db, sql, parameters)) {
            return update.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static PreparedStatement prepared(Connection db, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = db.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}
