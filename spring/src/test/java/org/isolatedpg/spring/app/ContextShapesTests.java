package org.isolatedpg.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.ContextHierarchy;

/** Application contexts shaped as real applications shape them. */
class ContextShapesTests {

    @Nested
    @SpringBootTest
    @ContextHierarchy({
        @ContextConfiguration(classes = NotesApplication.class),
        @ContextConfiguration(classes = ContextHierarchies.Child.class)
    })
    @IsolatedPostgres
    class ContextHierarchies {

        @Configuration(proxyBeanMethods = false)
        static class Child {}

        @Autowired
        JdbcTemplate jdbc; // defined in the parent

        @Test
        void theParentsBeansUseTheTestsDatabase(TestDatabase database) {
            assertThat(jdbc.queryForObject("select current_database()", String.class))
                    .isEqualTo(database.name());
        }
    }

    /** Boot 3.5 applies a task decorator only when there is one: the application's own keeps working, and so do we. */
    @Nested
    @SpringBootTest
    @IsolatedPostgres
    class ApplicationsOwnTaskDecorator {

        static final AtomicInteger DECORATED = new AtomicInteger();

        @TestConfiguration
        static class LoggingContext {
            @Bean
            TaskDecorator loggingContextDecorator() {
                return task -> {
                    DECORATED.incrementAndGet();
                    return task;
                };
            }
        }

        @Autowired
        NoteService service;

        @Autowired
        JdbcTemplate jdbc;

        @Test
        void asyncWorkReachesTheTestsDatabaseThroughBothDecorators() throws Exception {
            Long id = service.writeLater("later").get(30, TimeUnit.SECONDS);

            assertThat(jdbc.queryForObject("select count(*) from note where id = ?", Long.class, id))
                    .isEqualTo(1);
            assertThat(DECORATED).hasPositiveValue();
        }
    }

    /** spring.sql.init.mode=always: Boot's schema scripts are in the template, so every test database has them. */
    @Nested
    @SpringBootTest(
            properties = {"spring.sql.init.mode=always", "spring.sql.init.schema-locations=classpath:schema-extra.sql"})
    @IsolatedPostgres
    class SqlInitScripts {

        @Autowired
        JdbcTemplate jdbc;

        @Test
        void schemaScriptsReachTheTestsDatabase() {
            assertThat(jdbc.queryForObject("select count(*) from made_by_schema_sql", Long.class))
                    .isZero();
        }
    }
}
