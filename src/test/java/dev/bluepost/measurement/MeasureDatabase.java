package dev.bluepost.measurement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A real PostgreSQL (zonky) with the application's Flyway migrations, shared by the measure tests
 * of one JVM. {@link #reset()} empties the tables the measure tests write.
 */
final class MeasureDatabase {

    private static EmbeddedPostgres postgres;

    private MeasureDatabase() {}

    static synchronized DataSource dataSource() {
        if (postgres == null) {
            try {
                postgres =
                        EmbeddedPostgres.builder()
                                .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                                .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
                                .start();
                Flyway.configure()
                        .dataSource(postgres.getPostgresDatabase())
                        .locations("classpath:db/migration")
                        .load()
                        .migrate();
                Runtime.getRuntime()
                        .addShutdownHook(
                                new Thread(
                                        () -> {
                                            try {
                                                postgres.close();
                                            } catch (Exception ignored) {
                                                // the JVM is ending
                                            }
                                        }));
            } catch (Exception e) {
                throw new IllegalStateException("the embedded PostgreSQL did not start", e);
            }
        }
        return postgres.getPostgresDatabase();
    }

    /** The single number a query answers. */
    static long count(String sql) {
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one statement (a test changing what the engine reads). */
    static void execute(String sql) {
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void reset() {
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(
                    """
                    truncate mu_message_recipient_fact, mu_message_fact, mu_assignment_fact, mu_broadband_county,
                             mu_portal_access_fact, mu_document_fact, mu_vdt_fact, mu_broadband_import, triage_holiday,
                             encounter_participant, encounter, related_person, care_team_member, care_team,
                             practitioner_practice, location, patient, practitioner, practice,
                             mu_visit, mu_ep_visit_day, mu_ep_visit_month, mu_ep_visit_part, mu_visit_pair, mu_ep_pair_part, mu_stale_encounter,
                             outbox_event, mu_fact_watermark cascade""");
            // a deployment that has offered transmit since long before the periods the tests report
            // on
            s.execute(
                    """
                    insert into portal_capability (capability, available_since) values ('transmit', timestamptz '2000-01-01 00:00Z')
                    on conflict (capability) do update set available_since = excluded.available_since""");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
