package org.isolatedpg.core.internal.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.ScratchDatabases;
import org.isolatedpg.core.SharedServers;
import org.isolatedpg.core.internal.source.BuildTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The PostgreSQL 15 dump loaded back into the machine's PostgreSQL 15 on 127.0.0.1:5432, and a custom-format archive
 * made there with the machine's pg_dump. Skipped where nothing answers there, except on CI ({@code CI=true}).
 */
@ResourceLock(SharedServers.EXTERNAL)
class ScriptSourceOnLocalServerTests {

    private static final ClassLoader LOADER = ScriptSourceOnLocalServerTests.class.getClassLoader();
    private static final Path PG_DUMP_15 = Path.of("/usr/lib/postgresql/15/bin/pg_dump");

    private static ScratchDatabases databases;

    @TempDir
    Path folder;

    @BeforeAll
    static void attach() {
        Assumptions.assumeTrue(
                ScratchDatabases.localServerAnswers() || "true".equals(System.getenv("CI")),
                "no PostgreSQL answers on 127.0.0.1:5432 (CI=true makes this a failure)");
        databases = ScratchDatabases.onLocalServer();
    }

    @AfterAll
    static void dropDatabases() throws SQLException {
        if (databases != null) {
            databases.close();
        }
    }

    @Test
    void loadsThePostgres15DumpBackIntoPostgres15() throws SQLException {
        BuildTarget target = databases.create(LOADER);

        new ScriptSource("isolatedpg.scripts", List.of(DumpChecks.PG15_DUMP), false, "test").apply(target);

        try (Connection connection = target.connect()) {
            assertThat(DumpChecks.actual(connection)).isEqualTo(DumpChecks.expected());
        }
    }

    @Test
    void refusesACustomFormatArchiveThatPgDumpMadeNow() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PG_DUMP_15), PG_DUMP_15 + " is not installed");
        BuildTarget source = databases.create(LOADER);
        try (Connection connection = source.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE note (id int PRIMARY KEY, body text)");
        }
        Path archive = folder.resolve("made-now.sql");
        String database = source.jdbcUrl().substring(source.jdbcUrl().lastIndexOf('/') + 1);
        Process pgDump = new ProcessBuilder(
                        PG_DUMP_15.toString(),
                        "-Fc",
                        "-h",
                        "127.0.0.1",
                        "-U",
                        "postgres",
                        "-d",
                        database,
                        "-f",
                        archive.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(pgDump.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(pgDump.exitValue())
                .as(new String(pgDump.getInputStream().readAllBytes()))
                .isZero();

        assertThatThrownBy(() -> new ScriptSource("isolatedpg.scripts", List.of("filesystem:" + archive), false, "test")
                        .apply(databases.create(LOADER)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("'filesystem:" + archive + "' (from test, 'isolatedpg.scripts') is a pg_dump"
                        + " custom-format archive (it starts with PGDMP). Only plain SQL runs here");
    }
}
