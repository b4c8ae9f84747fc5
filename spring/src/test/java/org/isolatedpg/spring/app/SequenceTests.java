package org.isolatedpg.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.RepeatedTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Hibernate's pooled optimizer (allocationSize 50) keeps blocks of ids in the one EntityManagerFactory that all these
 * tests share, while each test's database starts its sequence afresh: ids must still never collide.
 */
@SpringBootTest
@IsolatedPostgres
class SequenceTests {

    @Autowired
    NoteRepository notes;

    @Autowired
    NoteService service;

    @Autowired
    JdbcTemplate jdbc;

    @RepeatedTest(12)
    void idsNeverCollideAcrossBlocksAndTests() {
        List<Long> ids = IntStream.range(0, 120)
                .mapToObj(i -> service.write("note " + i).getId())
                .toList();

        assertThat(ids).doesNotHaveDuplicates();
        assertThat(notes.count()).isEqualTo(120);
        assertThat(jdbc.queryForObject("select count(distinct id) from note", Long.class))
                .isEqualTo(120);
    }
}
