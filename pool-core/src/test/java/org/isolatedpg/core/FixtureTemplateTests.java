package org.isolatedpg.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/** Fixtures make a child template on top of the finished one: built once, reused, collected like any template. */
@ResourceLock(SharedServers.EMBEDDED_DEFAULT)
class FixtureTemplateTests {

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
    void buildsTheFixturesIntoAChildTemplateOnceReusesItAndCollectsItLikeAnyTemplate(@TempDir Path directory)
            throws Exception {
        Path fixture =
                Files.writeString(directory.resolve("third-item.sql"), "INSERT INTO item (name) VALUES ('third');\n");
        TemplateSpec base = TemplateSpec.builder()
                .flyway("db/pooltest")
                .flywayPlaceholders(Map.of("run", UUID.randomUUID().toString())) // templates of this test's own
                .build();
        TemplateSpec child = TemplateSpec.builder()
                .flyway("db/pooltest")
                .flywayPlaceholders(base.flywayPlaceholders())
                .fixtures("filesystem:" + fixture)
                .build();
        String baseTemplate;
        String childTemplate;
        try (TestDatabasePool basePool = TestDatabasePool.open(server, base, settings());
                TestDatabasePool childPool = TestDatabasePool.open(server, child, settings())) {
            baseTemplate = basePool.templateName();
            childTemplate = childPool.templateName();
            assertThat(childTemplate).isNotEqualTo(baseTemplate);
            assertThat(childPool.statistics().templateReused()).isFalse();
            assertThat(items(childPool)).isEqualTo("first,second,third");
            assertThat(items(basePool)).isEqualTo("first,second");
        }
        try (TestDatabasePool again = TestDatabasePool.open(server, child, settings())) {
            assertThat(again.templateName()).isEqualTo(childTemplate);
            assertThat(again.statistics().templateReused()).isTrue();
        }

        Admin admin = Admin.of(server);
        for (String template : List.of(baseTemplate, childTemplate)) {
            admin.execute("COMMENT ON DATABASE " + template
                    + " IS 'isolated-postgres template, last used 2000-01-01T00:00:00Z'");
        }
        PostgresServer.start(Configuration.fromSystem().serverSettings()).close(); // an attachment runs the collector

        assertThat(admin.databases()).doesNotContain(baseTemplate, childTemplate);
    }

    private static String items(TestDatabasePool pool) throws SQLException {
        try (TestDatabase database = pool.lease();
                Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT string_agg(name, ',' ORDER BY id) FROM item")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static PoolSettings settings() {
        return Configuration.from(List.of(ConfigSource.of("test", Map.of(ConfigKeys.POOL_SIZE, "1"))))
                .poolSettings();
    }
}
