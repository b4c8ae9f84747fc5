package org.isolatedpg.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.core.TestDatabasePool;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JVMs killed with {@code destroyForcibly()} (SIGKILL: no shutdown hook, no finally) while holding leases and while
 * building a template. The next start must leave nothing of theirs, and a JVM still running must keep all of its own.
 *
 * <p>Run alone: killed JVMs and janitors act on the whole server.
 */
@Isolated
class CrashTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dataDirectory;

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "external"})
    void theNextStartDropsWhatAKilledJvmLeasedAndKeepsWhatALiveOneHolds(String mode) throws Exception {
        assumeServer(mode);
        Child doomed = Child.start(mode, dataDirectory, "lease");
        Child survivor = Child.start(mode, dataDirectory, "lease");
        try {
            List<String> doomedDatabases = doomed.awaitLine("LEASED").subList(1, 3);
            List<String> survivorDatabases = survivor.awaitLine("LEASED").subList(1, 3);
            assertThat(databases(mode)).containsAll(doomedDatabases).containsAll(survivorDatabases);

            String doomedOwner = doomed.owner();
            doomed.kill();
            awaitOwnerGone(mode, doomedOwner);
            PostgresServer.start(settings(mode)).close(); // the next start

            List<String> left = databases(mode);
            assertThat(left).doesNotContainAnyElementsOf(doomedDatabases).containsAll(survivorDatabases);
            assertThat(left).noneMatch(name -> name.contains("_" + doomedOwner + "_"));
        } finally {
            doomed.kill();
            survivor.stop();
        }
        if (mode.equals("embedded")) { // the survivor was the last JVM out: the server went with it
            assertThat(Files.exists(clusterDirectory().resolve("server.properties")))
                    .isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "external"})
    void aWaiterTakesOverTheTemplateBuildOfAKilledJvm(String mode) throws Exception {
        assumeServer(mode);
        String run = Long.toHexString(System.nanoTime());
        Child builder = Child.start(mode, dataDirectory, "build", run);
        try {
            String owner = builder.owner();
            awaitDatabase(mode, name -> name.startsWith("ipg_build_") && name.contains("_" + owner + "_"));
            builder.kill();
            awaitOwnerGone(mode, owner);

            Configuration configuration = configuration(mode);
            String template;
            try (PostgresServer server = PostgresServer.start(configuration.serverSettings());
                    TestDatabasePool pool = TestDatabasePool.open(server, slowSpec(run), configuration.poolSettings());
                    TestDatabase db = pool.lease()) {
                assertThat(pool.statistics().templateReused()).isFalse();
                assertThat(pool.statistics().migrationsExecuted()).isEqualTo(2);
                assertThat(databases(mode)).noneMatch(name -> name.contains("_" + owner + "_"));
                assertThat(db.name()).startsWith("ipg_");
                template = pool.templateName();
            }
            if (mode.equals("external")) {
                LocalPostgres.dropOwnTemplates(List.of(template));
            }
        } finally {
            builder.kill();
        }
    }

    static TemplateSpec slowSpec(String run) {
        return TemplateSpec.builder()
                .flyway(List.of("classpath:db/slow"))
                .flywayPlaceholders(Map.of("run", run))
                .origin(ConfigKeys.FLYWAY_LOCATIONS, "test")
                .build();
    }

    private static void assumeServer(String mode) {
        if (mode.equals("external")) {
            LocalPostgres.assumeAvailable();
        }
    }

    private Configuration configuration(String mode) {
        return Configuration.from(List.of(ConfigSource.of("test", configurationValues(mode, dataDirectory))));
    }

    private org.isolatedpg.core.ServerSettings settings(String mode) {
        return configuration(mode).serverSettings();
    }

    static Map<String, String> configurationValues(String mode, Path dataDirectory) {
        Map<String, String> values = new HashMap<>();
        if (mode.equals("external")) {
            values.putAll(LocalPostgres.configuration());
        } else {
            values.put(ConfigKeys.EMBEDDED_DATA_DIRECTORY, dataDirectory.toString());
        }
        values.put(ConfigKeys.POOL_SIZE, "2");
        return values;
    }

    private Path clusterDirectory() throws IOException {
        try (var users = Files.list(dataDirectory)) {
            Path user = users.findFirst().orElseThrow();
            try (var clusters = Files.list(user)) {
                return clusters.findFirst().orElseThrow();
            }
        }
    }

    /** An admin connection that opens no attachment (so runs no janitor). */
    private Connection admin(String mode) throws SQLException, IOException {
        if (mode.equals("external")) {
            return LocalPostgres.connect();
        }
        Path cluster = clusterDirectory();
        Properties server = new Properties();
        try (var in = Files.newInputStream(cluster.resolve("server.properties"))) {
            server.load(in);
        }
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + server.getProperty("port") + "/postgres",
                "postgres",
                Files.readString(cluster.resolve("password")));
    }

    private List<String> databases(String mode) throws SQLException, IOException {
        List<String> names = new ArrayList<>();
        try (Connection connection = admin(mode);
                PreparedStatement statement = connection.prepareStatement("SELECT datname FROM pg_database");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    /** Waits until PostgreSQL has noticed the killed JVM's session end, which releases its owner lock. */
    private void awaitOwnerGone(String mode, String owner) throws Exception {
        Await.until(PATIENCE, "the owner lock of " + owner + " to go", () -> {
            try (Connection connection = admin(mode);
                    PreparedStatement statement = connection.prepareStatement(
                            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2"
                                    + " AND classid::bigint = " + ServerLocks.OWNERS + " AND objid::bigint = ?")) {
                statement.setLong(1, Long.parseLong(owner, 16));
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getInt(1) == 0;
                }
            }
        });
    }

    private void awaitDatabase(String mode, java.util.function.Predicate<String> name) throws Exception {
        Await.until(
                PATIENCE, "a database to appear", () -> databases(mode).stream().anyMatch(name));
    }

    /** A JVM running {@link ChildMain}, talking through marker lines on its standard output. */
    static final class Child {

        private final Process process;
        private final BufferedReader output;
        private String owner;

        private Child(Process process) {
            this.process = process;
            this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static Child start(String mode, Path dataDirectory, String... action) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    ChildMain.class.getName(),
                    mode,
                    dataDirectory.toString()));
            command.addAll(List.of(action));
            return new Child(new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start());
        }

        /** The words of the first line starting with {@code marker}, waiting for it. */
        List<String> awaitLine(String marker) throws Exception {
            return CompletableFuture.supplyAsync(() -> {
                        try {
                            String line;
                            while ((line = output.readLine()) != null) {
                                if (line.startsWith("OWNER ")) {
                                    owner = line.substring(6).trim();
                                }
                                if (line.startsWith(marker)) {
                                    return List.of(line.trim().split(" "));
                                }
                            }
                            throw new IllegalStateException("The child exited before printing " + marker);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }

        String owner() throws Exception {
            if (owner == null) {
                awaitLine("OWNER");
            }
            return owner;
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }

        /** Closes its standard input: it releases everything and exits normally. */
        void stop() throws IOException, InterruptedException {
            process.getOutputStream().close();
            if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
