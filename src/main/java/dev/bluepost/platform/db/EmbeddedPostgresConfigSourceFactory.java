package dev.bluepost.platform.db;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * When {@code bluepost.embedded-postgres.enabled} is true (demo and dev profiles) and no
 * {@code quarkus.datasource.jdbc.url} is configured, starts the embedded PostgreSQL
 * ({@link EmbeddedPostgresServer}) before the datasource is created and points the datasource at
 * it. Production always configures a URL and never reaches this.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    /** Above application.properties (250), below environment variables (300) and system properties (400). */
    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!isTrue(context.getValue("bluepost.embedded-postgres.enabled"))
                || !isBlank(context.getValue("quarkus.datasource.jdbc.url"))) {
            return List.of();
        }
        String dataDir = valueOr(context.getValue("bluepost.data-dir"), ".bluepost");
        int port =
                Integer.parseInt(
                        valueOr(context.getValue("bluepost.embedded-postgres.port"), "54329"));
        EmbeddedPostgresServer server =
                EmbeddedPostgresServer.startOnce(Path.of(dataDir).resolve("pgdata"), port);
        return List.of(
                new PropertiesConfigSource(
                        Map.of(
                                "quarkus.datasource.jdbc.url", server.jdbcUrl(),
                                "quarkus.datasource.username", EmbeddedPostgresServer.USER,
                                "quarkus.datasource.password", EmbeddedPostgresServer.PASSWORD),
                        "bluepost-embedded-postgres",
                        ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static boolean isTrue(ConfigValue value) {
        return value != null && "true".equalsIgnoreCase(value.getValue());
    }

    private static boolean isBlank(ConfigValue value) {
        return value == null || value.getValue() == null || value.getValue().isBlank();
    }

    private static String valueOr(ConfigValue value, String fallback) {
        return isBlank(value) ? fallback : value.getValue();
    }
}
