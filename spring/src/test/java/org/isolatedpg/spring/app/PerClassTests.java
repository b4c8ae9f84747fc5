package org.isolatedpg.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.isolatedpg.junit.IsolatedPostgres;
import org.isolatedpg.junit.Isolation;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** With per-class isolation the class's tests share one database behind the same cached context. */
@SpringBootTest
@IsolatedPostgres(isolation = Isolation.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Execution(ExecutionMode.SAME_THREAD)
class PerClassTests {

    @Autowired
    NoteService service;

    @Autowired
    NoteRepository notes;

    @Test
    @Order(1)
    void writes() {
        service.write("shared");

        assertThat(notes.count()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void seesWhatTheClassWrote() {
        assertThat(notes.findAll()).extracting(Note::getText).containsExactly("shared");
    }
}
