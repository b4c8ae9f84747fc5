package org.isolatedpg.spring.app;

import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class NoteController {

    private final NoteService service;
    private final JdbcTemplate jdbc;

    NoteController(NoteService service, JdbcTemplate jdbc) {
        this.service = service;
        this.jdbc = jdbc;
    }

    @PostMapping("/notes")
    Map<String, Object> write(@RequestBody String text) {
        return Map.of("id", service.write(text).getId());
    }

    /** The database serving the request, and its notes. */
    @GetMapping("/notes/where")
    Map<String, Object> where() {
        return Map.of(
                "database", jdbc.queryForObject("select current_database()", String.class),
                "notes", jdbc.queryForObject("select count(*) from note", Long.class));
    }
}
