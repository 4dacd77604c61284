package dev.bluepost.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.Map;
import javax.sql.DataSource;

/** A throw-away real PostgreSQL (zonky's binaries) for {@code @QuarkusTest}s. */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        try {
            postgres =
                    EmbeddedPostgres.builder()
                            .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                            .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
                            .start();
            return Map.of(
                    "quarkus.datasource.jdbc.url",
                    postgres.getJdbcUrl("postgres", "postgres"),
                    "quarkus.datasource.username",
                    "postgres",
                    "quarkus.datasource.password",
                    "postgres");
        } catch (Exception e) {
            throw new IllegalStateException("the embedded PostgreSQL did not start", e);
        }
    }

    /** Direct access for assertions on stored rows (e.g. that bodies are ciphertext). */
    public static DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    @Override
    public void stop() {
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
