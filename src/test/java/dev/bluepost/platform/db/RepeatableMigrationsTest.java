package dev.bluepost.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The repeatable migrations ({@code R__*.sql}) hold the current definition of every function and
 * trigger. Applied to a database the versioned migrations alone built (an existing installation),
 * they change nothing but the one intended thing: the two recipient trigger functions that differed
 * only in their transition table's name are one function. A fresh database ends the same.
 */
class RepeatableMigrationsTest {

    /** What the recipient triggers' shared function replaced: compared apart. */
    private static final Set<String> RECIPIENT_TRIGGERS =
            Set.of(
                    "function mu_message_recipient_changed",
                    "function mu_message_recipient_removed",
                    "trigger mu_message_recipient_fact.mu_message_recipient_inserted",
                    "trigger mu_message_recipient_fact.mu_message_recipient_deleted",
                    "trigger mu_message_recipient_fact.mu_message_recipient_updated_new",
                    "trigger mu_message_recipient_fact.mu_message_recipient_updated_old");

    /**
     * Functions and triggers changed in the repeatable migrations since they were introduced: the later
     * changes live there only (a versioned migration no longer re-creates a function), so an existing
     * database that the versioned migrations built differs in these, and only these. The CEHRT history of
     * locations: a visit's CEHRT trait is read from it, and a change to it refreshes the location's visits.
     */
    private static final Set<String> CHANGED_SINCE =
            Set.of(
                    "function mu_visit_rows",
                    "function mu_location_cehrt_changed",
                    "trigger location_cehrt_change.mu_location_cehrt_inserted");

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres =
                EmbeddedPostgres.builder()
                        .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                        .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
                        .start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void shouldChangeNothingButTheSharedRecipientFunctionOnAnExistingDatabase()
            throws SQLException {
        DataSource existing = versionedOnly("existing");
        Map<String, String> before = definitions(existing);
        flyway(existing).migrate();
        Map<String, String> after = definitions(existing);

        Set<String> intended = new java.util.HashSet<>(RECIPIENT_TRIGGERS);
        intended.addAll(CHANGED_SINCE);
        assertThat(without(after, intended)).isEqualTo(without(before, intended));
        assertThat(after).containsKeys(CHANGED_SINCE.toArray(String[]::new));
        assertThat(after.get("function mu_visit_rows")).contains("location_cehrt_change");
        assertThat(after).doesNotContainKey("function mu_message_recipient_removed");
        assertThat(after.get("function mu_message_recipient_changed"))
                .contains("from recipient_rows")
                .isEqualTo(
                        before.get("function mu_message_recipient_changed")
                                .replace("from new_rows", "from recipient_rows"));
        for (String trigger : RECIPIENT_TRIGGERS) {
            if (trigger.startsWith("trigger ")) {
                assertThat(after.get(trigger))
                        .as(trigger)
                        .isEqualTo(
                                before.get(trigger)
                                        .replaceAll(
                                                "TABLE AS (new|old)_rows",
                                                "TABLE AS recipient_rows")
                                        .replace(
                                                "mu_message_recipient_removed()",
                                                "mu_message_recipient_changed()"));
            }
        }
        flyway(existing).validate();
    }

    @Test
    void shouldEndTheSameOnAFreshDatabaseAsOnAnExistingOne() throws SQLException {
        DataSource fresh = database("fresh");
        flyway(fresh).migrate();
        DataSource existing = versionedOnly("upgraded");
        flyway(existing).migrate();

        assertThat(definitions(fresh)).isEqualTo(definitions(existing));
    }

    private static DataSource database(String name) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        return postgres.getDatabase("postgres", name);
    }

    /** An installation from before the repeatable migrations: the versioned ones only. */
    private static DataSource versionedOnly(String name) throws SQLException {
        DataSource dataSource = database(name);
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .repeatableSqlMigrationPrefix("NOT_YET")
                .load()
                .migrate();
        return dataSource;
    }

    private static Flyway flyway(DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load();
    }

    /** Every function and trigger of the schema, by name, as PostgreSQL prints its definition. */
    private static Map<String, String> definitions(DataSource dataSource) throws SQLException {
        Map<String, String> definitions = new TreeMap<>();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            try (ResultSet r =
                    s.executeQuery(
                            """
                    select 'function ' || p.proname, pg_get_functiondef(p.oid) from pg_proc p
                    join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public'""")) {
                while (r.next()) {
                    definitions.put(r.getString(1), r.getString(2));
                }
            }
            try (ResultSet r =
                    s.executeQuery(
                            """
                    select 'trigger ' || c.relname || '.' || t.tgname, pg_get_triggerdef(t.oid) || ' enabled=' || cast(t.tgenabled as text)
                    from pg_trigger t join pg_class c on c.oid = t.tgrelid where not t.tgisinternal""")) {
                while (r.next()) {
                    definitions.put(r.getString(1), r.getString(2));
                }
            }
        }
        return definitions;
    }

    private static Map<String, String> without(Map<String, String> definitions, Set<String> names) {
        Map<String, String> rest = new TreeMap<>(definitions);
        rest.keySet().removeAll(names);
        return rest;
    }
}
