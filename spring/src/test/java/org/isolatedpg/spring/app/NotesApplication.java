package org.isolatedpg.spring.app;

import javax.sql.DataSource;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableAsync;

/** A small application for the module's own tests: notes with sequence ids, a service, a controller. */
@SpringBootApplication
@EnableAsync
public class NotesApplication {

    /** Writes at start-up, on the context's own database: no test may see it. */
    @Bean
    ApplicationRunner markStartup(DataSource dataSource) {
        return arguments ->
                new JdbcTemplate(dataSource).update("insert into startup_mark values ('application runner')");
    }
}
