package org.isolatedpg.spring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

@SpringBootTest
@IsolatedPostgres
class MockEnvironmentTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    NoteService service;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @RepeatedTest(6)
    void eachTestSeesOnlyItsOwnRows() {
        service.write("one");
        service.write("two");
        service.write("three");

        assertThat(jdbc.queryForObject("select count(*) from note", Long.class)).isEqualTo(3);
    }

    @Test
    void whatTheApplicationWroteAtStartUpIsNotInTestDatabases() {
        assertThat(jdbc.queryForObject("select count(*) from startup_mark", Long.class))
                .isZero();
    }

    @Test
    void parametersAreTheDatabaseTheBeansUse(DataSource parameter, TestDatabase database) {
        String beans = jdbc.queryForObject("select current_database()", String.class);

        assertThat(beans).isEqualTo(database.name());
        assertThat(new JdbcTemplate(parameter).queryForObject("select current_database()", String.class))
                .isEqualTo(beans);
        assertThat(dataSource).isNotSameAs(parameter); // the bean routes, the parameter is the test's own pool
    }

    @Test
    void connectionDetailsNameTheTestsDatabase(@Autowired JdbcConnectionDetails details, TestDatabase database) {
        assertThat(details.getJdbcUrl()).contains(database.name());
        assertThat(details.getUsername()).isEqualTo(database.username());
        assertThat(details.getDriverClassName()).isEqualTo("org.postgresql.Driver");
    }

    @Test
    void bootsOwnFlywayNeverMigrates() {
        assertThat(jdbc.queryForObject("select count(*) from flyway_schema_history where success", Long.class))
                .isEqualTo(1);
        assertThat(BootFlywayRuns.MIGRATIONS).hasValue(0);
    }

    @Test
    void asyncWorkReachesTheTestsDatabase() throws Exception {
        Long id = service.writeLater("later").get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(jdbc.queryForObject("select count(*) from note where id = ?", Long.class, id))
                .isEqualTo(1);
    }

    @Test
    void workOnAThreadNoTestOwnsFailsNamingTheThread()
            throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread stray = new Thread(
                () -> {
                    try {
                        jdbc.queryForObject("select count(*) from note", Long.class);
                        failure.complete(null);
                    } catch (RuntimeException e) {
                        failure.complete(e);
                    }
                },
                "stray-worker");
        stray.start();

        Throwable thrown = failure.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThatThrownBy(() -> {
                    if (thrown != null) {
                        throw thrown;
                    }
                })
                .hasStackTraceContaining("[stray-worker]")
                .hasStackTraceContaining("works for no test");
    }
}
