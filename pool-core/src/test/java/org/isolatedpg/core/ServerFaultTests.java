package org.isolatedpg.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.isolatedpg.core.internal.server.embedded.EmbeddedServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server crashes or restarts under a running pool (row 10 of the fault matrix, fault 1 of issue 7), on an
 * embedded server of the test's own (a temporary data directory), since the faults hit every session on it.
 *
 * <p>After each fault the pool must recover by itself: the owner takes its lock again, a second attachment starting
 * in the seconds after the crash ("another JVM") leaves this owner's clones alone, every clone handed out exists
 * and works, and at the end nothing of either owner is left.
 */
@Execution(ExecutionMode.CONCURRENT) // Each test on a cluster of its own (its own data directory): they run at once.
class ServerFaultTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dataDirectory;

    private Configuration configuration() {
        return Configuration.from(List.of(ConfigSource.of(
                "test",
                Map.of(
                        ConfigKeys.EMBEDDED_DATA_DIRECTORY, dataDirectory.toString(),
                        ConfigKeys.POOL_SIZE, "3",
                        ConfigKeys.POOL_ACQUIRE_TIMEOUT, "60s"))));
    }

    @Test
    void aKilledBackendCrashesTheServerAndThePoolRecoversWithoutLosingItsClones() throws Exception {
        Configuration configuration = configuration();
        try (PostgresServer server = PostgresServer.start(configuration.serverSettings());
                TestDatabasePool pool = TestDatabasePool.open(
                        server, TemplateSpec.of("classpath:db/pooltest"), configuration.poolSettings())) {
            Admin admin = Admin.of(server, pool);
            List<String> before;
            try (TestDatabase victim = pool.lease();
                    Connection connection = victim.dataSource().getConnection()) {
                TemplateFaultTests.awaitReady(pool, 3);
                before = new ArrayList<>(admin.databasesOf(server.owner()));
                before.remove(victim.name()); // released below, and so rightly dropped
                // SIGKILL of one backend: PostgreSQL ends every session and runs crash recovery (57P02 for the rest).
                ProcessHandle.of(backendPid(connection)).orElseThrow().destroyForcibly();
            }
            awaitAnswering(admin);
            // "Another JVM" starting in the seconds after the crash, when this owner may not hold its lock yet.
            PostgresServer.start(configuration.serverSettings()).close();

            assertThat(admin.databasesOf(server.owner())).containsAll(before);
            assertLeasesWork(pool, 5);
            assertThat(admin.ownerLockHeld(server.owner())).isTrue();
        }
        assertNothingLeft();
    }

    @ParameterizedTest
    @ValueSource(strings = {"fast", "immediate"})
    void aServerRestartedUnderThePoolIsUsedAgainOnceItAnswers(String mode) throws Exception {
        Configuration configuration = configuration();
        try (PostgresServer server = PostgresServer.start(configuration.serverSettings());
                TestDatabasePool pool = TestDatabasePool.open(
                        server, TemplateSpec.of("classpath:db/pooltest"), configuration.poolSettings())) {
            Admin admin = Admin.of(server, pool);
            TemplateFaultTests.awaitReady(pool, 3);
            List<String> before = admin.databasesOf(server.owner());

            pgCtl(server, "restart", "-m", mode, "-w", "-t", "60");
            PostgresServer.start(configuration.serverSettings()).close();

            assertThat(admin.databasesOf(server.owner())).containsAll(before);
            assertLeasesWork(pool, 5);
            Admin.await(PATIENCE, "the owner lock taken again", () -> admin.ownerLockHeld(server.owner()));
        }
        assertNothingLeft();
    }

    /**
     * Row 11: the disk fills up. A real one: the cluster lives on a small tmpfs, and a ballast file takes what is left.
     * Clones then fail with 53100, the environment's fault, which fails the waiting test with that cause but is not
     * remembered: once there is room again, the pool makes clones again by itself.
     */
    @Test
    void aFullDiskFailsClonesAsTheEnvironmentsFaultAndThePoolResumesOnceThereIsRoom() throws Exception {
        Path disk = Files.createDirectories(dataDirectory.resolve("small-disk"));
        Assumptions.assumeTrue(
                run("mount", "-t", "tmpfs", "-o", "size=160m", "tmpfs", disk.toString()) == 0,
                "cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)");
        try {
            Configuration configuration = Configuration.from(List.of(ConfigSource.of(
                    "test",
                    Map.of(
                            ConfigKeys.EMBEDDED_DATA_DIRECTORY, disk.toString(),
                            ConfigKeys.POOL_SIZE, "1",
                            ConfigKeys.POOL_ACQUIRE_TIMEOUT, "10s"))));
            try (PostgresServer server = PostgresServer.start(configuration.serverSettings());
                    TestDatabasePool pool = TestDatabasePool.open(
                            server, TemplateSpec.of("classpath:db/pooltest"), configuration.poolSettings());
                    TestDatabase held = pool.lease()) {
                Admin admin = Admin.of(server, held);
                TemplateFaultTests.awaitReady(pool, 1);
                Path ballast = disk.resolve("ballast");
                fill(ballast, Files.getFileStore(disk).getUsableSpace() - (2L << 20));

                try (TestDatabase second = pool.lease()) { // made before the disk filled
                    assertThatThrownBy(pool::lease)
                            .isInstanceOf(PoolTimeoutException.class)
                            .hasMessageContaining(
                                    "The server failed (the environment, not the migrations): SQLState" + " 53100")
                            .cause()
                            .isInstanceOf(SQLException.class);
                    assertThat(admin.databases())
                            .containsExactlyInAnyOrder(pool.templateName(), held.name(), second.name());
                }
                Files.delete(ballast);

                assertLeasesWork(pool, 3);
            }
        } finally {
            run("umount", "-l", disk.toString());
        }
    }

    private static void fill(Path file, long bytes) throws IOException {
        byte[] block = new byte[1 << 20];
        try (var out = Files.newOutputStream(file)) {
            for (long written = 0; written + block.length <= bytes; written += block.length) {
                out.write(block);
            }
        }
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /**
     * Leases one clone after another, each used for real (written to, so never given to the next lease): none is gone,
     * none is shared.
     */
    private static void assertLeasesWork(TestDatabasePool pool, int count) throws SQLException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try (TestDatabase db = pool.lease();
                    Connection connection = db.dataSource().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO item (name) VALUES ('mine')");
                try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM item")) {
                    rows.next();
                    assertThat(rows.getInt(1)).isEqualTo(3);
                }
                names.add(db.name());
            }
        }
        assertThat(names).doesNotHaveDuplicates();
    }

    /** After the run: no clone, build or session of ours, and no postmaster in the data directory. */
    private void assertNothingLeft() throws Exception {
        Configuration configuration = configuration();
        try (PostgresServer server = PostgresServer.start(configuration.serverSettings());
                TestDatabasePool pool = TestDatabasePool.open(
                        server, TemplateSpec.of("classpath:db/pooltest"), configuration.poolSettings());
                TestDatabase probe = pool.lease()) {
            Admin admin = Admin.of(server, probe);
            // Within one sweep of the next start's janitor, whatever a crash kept the old owners from dropping goes.
            Admin.await(
                    PATIENCE,
                    "only the template and this owner's clones",
                    () -> admin.databases().stream()
                            .allMatch(
                                    name -> name.startsWith("ipg_tpl_") || name.contains("_" + server.owner() + "_")));
            assertThat(admin.strings("SELECT application_name FROM pg_stat_activity WHERE starts_with("
                            + "application_name, 'isolatedpg') AND application_name NOT LIKE '%" + server.owner()
                            + "%' AND application_name NOT IN ('isolatedpg', 'isolatedpg-owner')"))
                    .isEmpty();
        }
        assertThat(postmasterPid()).isEmpty();
    }

    private List<Long> postmasterPid() throws IOException {
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            return files.filter(file -> file.getFileName().toString().equals("postmaster.pid"))
                    .map(file -> readPid(file))
                    .filter(pid ->
                            ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .toList();
        }
    }

    private static long readPid(Path file) {
        try {
            return Long.parseLong(Files.readAllLines(file).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static void awaitAnswering(Admin admin) throws Exception {
        Admin.await(PATIENCE, "the server to answer after crash recovery", () -> {
            try {
                admin.databases();
                return true;
            } catch (SQLException e) {
                return false;
            }
        });
    }

    /** Runs pg_ctl on the server's data directory, as the cluster does (in a user namespace when we are root). */
    private static void pgCtl(PostgresServer server, String... arguments) throws Exception {
        EmbeddedServer embedded = (EmbeddedServer) server.attachment().server();
        Path data = embedded.clusterDirectory().resolve("data");
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(pgCtlBinary().toString());
        command.add(arguments[0]);
        command.addAll(List.of(
                "-D", data.toString(), "-l", data.resolveSibling("restart.log").toString()));
        command.addAll(List.of(arguments).subList(1, arguments.length));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static Path pgCtlBinary() throws IOException {
        Path cache =
                Configuration.fromSystem().serverSettings().cacheDirectory().value();
        try (Stream<Path> installations = Files.list(cache)) {
            return installations
                    .map(installation -> installation.resolve("bin").resolve("pg_ctl"))
                    .filter(Files::isExecutable)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("No unpacked PostgreSQL under " + cache));
        }
    }
}
