package org.isolatedpg.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.junit.IsolatedPostgres;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.data.jdbc.DataJdbcTest;
import org.springframework.boot.test.autoconfigure.jdbc.JdbcTest;
import org.springframework.boot.test.autoconfigure.jooq.JooqTest;
import org.springframework.boot.test.autoconfigure.orm.jpa.DataJpaTest;
import org.springframework.jdbc.core.JdbcTemplate;

/** Boot's test slices keep the test's PostgreSQL database: none is swapped for an embedded H2. */
class SliceTests {

    private static void assertOnTheTestsDatabase(JdbcTemplate jdbc, TestDatabase database) {
        assertThat(jdbc.queryForObject("select current_database()", String.class))
                .isEqualTo(database.name());
        assertThat(jdbc.queryForObject("select count(*) from note", Long.class)).isZero();
    }

    @DataJpaTest
    @IsolatedPostgres
    @Nested
    class DataJpa {

        @Autowired
        NoteRepository notes;

        @Autowired
        JdbcTemplate jdbc;

        @Test
        void repositoriesWorkOnTheTestsDatabase(TestDatabase database) {
            assertOnTheTestsDatabase(jdbc, database);
            Note saved = notes.saveAndFlush(new Note("jpa"));

            assertThat(jdbc.queryForObject("select text from note where id = ?", String.class, saved.getId()))
                    .isEqualTo("jpa");
        }
    }

    @JdbcTest
    @IsolatedPostgres
    @Nested
    class Jdbc {

        @Autowired
        JdbcTemplate jdbc;

        @Test
        void jdbcTemplateWorksOnTheTestsDatabase(TestDatabase database) {
            assertOnTheTestsDatabase(jdbc, database);
        }
    }

    @DataJdbcTest
    @IsolatedPostgres
    @Nested
    class DataJdbc {

        @Autowired
        JdbcTemplate jdbc;

        @Test
        void dataJdbcWorksOnTheTestsDatabase(TestDatabase database) {
            assertOnTheTestsDatabase(jdbc, database);
        }
    }

    @JooqTest
    @IsolatedPostgres
    @Nested
    class Jooq {

        @Autowired
        DSLContext dsl;

        @Test
        void jooqWorksOnTheTestsDatabase(TestDatabase database) {
            assertThat(dsl.fetchValue("select current_database()")).isEqualTo(database.name());
        }
    }
}
