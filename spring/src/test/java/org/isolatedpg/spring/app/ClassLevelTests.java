package org.isolatedpg.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.junit.IsolatedPostgres;
import org.isolatedpg.junit.Isolation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.jdbc.Sql;

/** Class-level phases and per-class test instances. */
class ClassLevelTests {

    private static String where(JdbcTemplate jdbc) {
        return jdbc.queryForObject("select current_database()", String.class);
    }

    /** With per-class isolation, @BeforeAll methods write to the database the class's tests then read. */
    @Nested
    @SpringBootTest
    @IsolatedPostgres(isolation = Isolation.PER_CLASS)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class SeededInBeforeAll {

        @Autowired
        NoteService service;

        @Autowired
        JdbcTemplate jdbc;

        String seededIn;

        @BeforeAll
        void seed(TestDatabase database) {
            service.write("seed");
            seededIn = where(jdbc);
            assertThat(seededIn).isEqualTo(database.name());
        }

        @Test
        void seesTheSeed(TestDatabase database) {
            assertThat(where(jdbc)).isEqualTo(seededIn).isEqualTo(database.name());
            assertThat(jdbc.queryForObject("select count(*) from note", Long.class))
                    .isEqualTo(1);
        }
    }

    @Nested
    @SpringBootTest
    @IsolatedPostgres(isolation = Isolation.PER_CLASS)
    @Sql(
            statements = "insert into note values (nextval('note_seq'), 'class seed')",
            executionPhase = Sql.ExecutionPhase.BEFORE_TEST_CLASS)
    class SeededByClassLevelSql {

        @Autowired
        JdbcTemplate jdbc;

        @Test
        void seesTheClassSeed() {
            assertThat(jdbc.queryForList("select text from note", String.class)).containsExactly("class seed");
        }
    }

    /**
     * Concurrent repetitions share one instance and method: each must still get, as a parameter, the database its
     * beans use.
     */
    @Nested
    @SpringBootTest
    @IsolatedPostgres
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @Execution(ExecutionMode.CONCURRENT)
    class ConcurrentRepetitionsOfOneInstance {

        @Autowired
        JdbcTemplate jdbc;

        @RepeatedTest(30)
        void parameterIsTheDatabaseTheBeansUse(TestDatabase database) {
            assertThat(database.name()).isEqualTo(where(jdbc));
        }
    }
}
