package org.isolatedpg.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.jdbc.Sql;

/** What Spring's TestContext framework offers keeps working on the test's database. */
class TestContextFeaturesTests {

    @Nested
    @SpringBootTest
    @IsolatedPostgres
    class SqlScripts {

        @Autowired
        JdbcTemplate jdbc;

        @RepeatedTest(3)
        @Sql(statements = "insert into note values (nextval('note_seq'), 'from @Sql')")
        void sqlRunsOnTheTestsDatabase() {
            assertThat(jdbc.queryForList("select text from note", String.class)).containsExactly("from @Sql");
        }
    }

    @Nested
    @SpringBootTest
    @IsolatedPostgres
    class Outer {

        @Autowired
        JdbcTemplate jdbc;

        @Nested
        class Inner {

            @Test
            void nestedClassesInheritTheirDatabase(TestDatabase database) {
                assertThat(jdbc.queryForObject("select current_database()", String.class))
                        .isEqualTo(database.name());
            }
        }
    }

    @Nested
    @SpringBootTest
    @IsolatedPostgres
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class PerClassLifecycle {

        @Autowired
        NoteService service;

        @Autowired
        JdbcTemplate jdbc;

        @RepeatedTest(2)
        void eachTestStillGetsItsOwnDatabase() {
            service.write("one per test");

            assertThat(jdbc.queryForObject("select count(*) from note", Long.class))
                    .isEqualTo(1);
        }
    }

    @Nested
    @SpringBootTest(properties = "isolatedpg.test.context=dirtied")
    @IsolatedPostgres
    @DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
    class DirtiedContexts {

        @Autowired
        NoteService service;

        @Autowired
        JdbcTemplate jdbc;

        @RepeatedTest(2)
        void aFreshContextPerTestStillWorks() {
            service.write("in a fresh context");

            assertThat(jdbc.queryForObject("select count(*) from note", Long.class))
                    .isEqualTo(1);
        }
    }
}
