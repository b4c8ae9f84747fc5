package org.isolatedpg.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.RepeatedTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.transaction.AfterTransaction;
import org.springframework.transaction.annotation.Transactional;

@SpringBootTest
@IsolatedPostgres
@Transactional
class TransactionalTests {

    @Autowired
    NoteRepository notes;

    @Autowired
    JdbcTemplate jdbc;

    @RepeatedTest(4)
    void writesInsideTheTestsTransaction(TestDatabase database) {
        notes.save(new Note("rolled back"));
        notes.flush();

        assertThat(jdbc.queryForObject("select count(*) from note", Long.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select current_database()", String.class))
                .isEqualTo(database.name());
    }

    @AfterTransaction
    void spring_rolled_back_on_the_tests_database() {
        assertThat(jdbc.queryForObject("select count(*) from note", Long.class)).isZero();
    }
}
