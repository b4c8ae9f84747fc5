package org.isolatedpg.versions;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import liquibase.util.LiquibaseUtil;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * Templates built with the Liquibase version on the classpath: ours (4.33, the last under an open-source licence, which
 * Spring Boot 4.0 users set), or 4.31 as Spring Boot 3.5 picks it; {@code expected.liquibase.version} says which.
 */
class LiquibaseVersionTests {

    private static PostgresServer server;

    @TempDir
    Path directory;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start(Configuration.fromSystem().serverSettings());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void runsWithTheVersionTheBuildPicked() {
        assertThat(LiquibaseUtil.getBuildVersion()) // what was loaded, from the jar's own build properties
                .isEqualTo(System.getProperty("expected.liquibase.version"));
    }

    @Test
    void buildsATemplateAndThenOneOnItIncrementally() throws IOException, SQLException {
        Map<String, String> parameters = Map.of("run", UUID.randomUUID().toString()); // templates of this run's own
        try (TestDatabasePool older =
                        TestDatabasePool.open(server, spec(changelog("older", 2), parameters), settings());
                TestDatabasePool newer =
                        TestDatabasePool.open(server, spec(changelog("newer", 3), parameters), settings())) {
            assertThat(older.statistics().migrationsExecuted()).isEqualTo(2);
            assertThat(newer.statistics().templateBuiltFrom())
                    .isEqualTo(older.fingerprint().substring(0, 12));
            assertThat(newer.statistics().migrationsExecuted()).isEqualTo(1);
            try (TestDatabase database = newer.lease()) {
                assertThat(FlywayVersionTests.query(
                                database, "SELECT string_agg(title, ', ' ORDER BY title) FROM book"))
                        .isEqualTo("Effective Java, Spring in Action");
                assertThat(FlywayVersionTests.query(database, "SELECT count(*) FROM databasechangelog"))
                        .isEqualTo("3");
            }
        }
    }

    /** A YAML master including the first {@code count} changesets, an XML one and formatted SQL ones. */
    private String changelog(String name, int count) throws IOException {
        Path folder = Files.createDirectories(directory.resolve(name).resolve("changes"));
        Files.writeString(folder.resolve("001-book.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                    http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-4.20.xsd">
                  <changeSet id="1" author="library">
                    <createTable tableName="book">
                      <column name="isbn" type="text"><constraints primaryKey="true"/></column>
                      <column name="title" type="text"><constraints nullable="false"/></column>
                    </createTable>
                  </changeSet>
                </databaseChangeLog>
                """, UTF_8);
        Files.writeString(
                folder.resolve("002-seed.sql"),
                "--liquibase formatted sql\n\n--changeset library:2\n"
                        + "INSERT INTO book VALUES ('978-0134685991', 'Effective Java');\n",
                UTF_8);
        Files.writeString(
                folder.resolve("003-more.sql"),
                "--liquibase formatted sql\n\n--changeset library:3\n"
                        + "INSERT INTO book VALUES ('978-1617294945', 'Spring in Action');\n",
                UTF_8);
        StringBuilder master = new StringBuilder("databaseChangeLog:\n");
        for (String file :
                List.of("001-book.xml", "002-seed.sql", "003-more.sql").subList(0, count)) {
            master.append("  - include:\n      file: changes/")
                    .append(file)
                    .append("\n      relativeToChangelogFile: true\n");
        }
        Path changelog = directory.resolve(name).resolve("master.yaml");
        Files.writeString(changelog, master, UTF_8);
        return "filesystem:" + changelog;
    }

    private static TemplateSpec spec(String changelog, Map<String, String> parameters) {
        return TemplateSpec.builder()
                .liquibase(changelog)
                .liquibaseParameters(parameters)
                .build();
    }

    private static PoolSettings settings() {
        return Configuration.from(List.of(ConfigSource.of("test", Map.of("isolatedpg.pool.size", "1"))))
                .poolSettings();
    }
}
