package org.isolatedpg.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/** The template is what Spring Boot would migrate, read from the context's spring.flyway.* and spring.liquibase.*. */
class SchemaSettingsTests {

    private static boolean exists(JdbcTemplate jdbc, String table) {
        return Boolean.TRUE.equals(
                jdbc.queryForObject("select to_regclass(?) is not null", Boolean.class, "public." + table));
    }

    @Nested
    @SpringBootTest(properties = "spring.flyway.locations=classpath:db/migration,classpath:db/tags")
    @IsolatedPostgres
    class FlywayLocations {

        @Autowired
        JdbcTemplate jdbc;

        @Test
        void migratesEveryLocationBootWould() {
            assertThat(exists(jdbc, "tag")).isTrue();
            assertThat(jdbc.queryForObject("select count(*) from flyway_schema_history where success", Long.class))
                    .isEqualTo(2);
        }
    }

    @Nested
    @SpringBootTest(
            properties = {
                "spring.flyway.enabled=false",
                "spring.liquibase.change-log=classpath:/db/changelog/notes.yaml",
                "spring.liquibase.contexts=test"
            })
    @IsolatedPostgres
    class LiquibaseChangelog {

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        NoteService service;

        @Test
        void runsBootsChangelogWithItsContexts() {
            assertThat(exists(jdbc, "made_by_liquibase")).isTrue();
            assertThat(exists(jdbc, "flyway_schema_history")).isFalse();
            assertThat(jdbc.queryForObject("select count(*) from databasechangelog", Long.class))
                    .isEqualTo(2);
            service.write("on a Liquibase schema");
        }
    }

    @Nested
    @SpringBootTest
    @IsolatedPostgres(migrations = {"db/migration", "db/tags"})
    class AnnotationOverrides {

        @Autowired
        JdbcTemplate jdbc;

        @Test
        void theAnnotationsSourceWins() {
            assertThat(exists(jdbc, "tag")).isTrue();
        }
    }
}
