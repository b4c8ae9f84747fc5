package org.isolatedpg.versions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.PoolSettings;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.core.TestDatabasePool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Templates built with the Flyway version on the classpath: ours, or one a Spring Boot BOM picks (each Surefire
 * execution of this module puts another in its place, and says which in {@code expected.flyway.version}).
 */
class FlywayVersionTests {

    private static PostgresServer server;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start(Configuration.fromSystem().serverSettings());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void runsWithTheVersionTheBuildPicked() throws IOException {
        assertThat(loadedVersion("org.flywaydb", "flyway-core", Flyway.class))
                .isEqualTo(System.getProperty("expected.flyway.version"));
    }

    @Test
    void buildsATemplateAndThenOneOnItIncrementally() throws SQLException {
        String run = UUID.randomUUID().toString(); // a template of this run's own
        try (TestDatabasePool older = TestDatabasePool.open(server, spec("db/versions/flyway-older", run), settings());
                TestDatabasePool newer =
                        TestDatabasePool.open(server, spec("db/versions/flyway-newer", run), settings())) {
            assertThat(older.statistics().migrationsExecuted()).isEqualTo(2);
            assertThat(newer.statistics().templateBuiltFrom())
                    .isEqualTo(older.fingerprint().substring(0, 12));
            assertThat(newer.statistics().migrationsExecuted()).isEqualTo(1);
            try (TestDatabase database = newer.lease()) {
                assertThat(query(database, "SELECT string_agg(title, ', ' ORDER BY title) FROM book"))
                        .isEqualTo("Effective Java, Spring in Action");
                assertThat(query(
                                database,
                                "SELECT string_agg(version, ',' ORDER BY installed_rank)"
                                        + " FROM flyway_schema_history"))
                        .isEqualTo("1,2,3");
            }
        }
    }

    private static TemplateSpec spec(String location, String run) {
        return TemplateSpec.builder()
                .flyway(location)
                .flywayPlaceholders(Map.of("run", run))
                .build();
    }

    private static PoolSettings settings() {
        return Configuration.from(List.of(ConfigSource.of("test", Map.of("isolatedpg.pool.size", "1"))))
                .poolSettings();
    }

    static String query(TestDatabase database, String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** The version in the jar's Maven metadata: what was loaded, not what the POM asked for. */
    static String loadedVersion(String groupId, String artifactId, Class<?> type) throws IOException {
        String resource = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        }
    }
}
