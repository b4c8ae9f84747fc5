package org.isolatedpg.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.isolatedpg.server.internal.cli.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code list}, {@code prune}, {@code stop} and {@code doctor}, run as the command line runs them (settings from
 * system properties), each on an embedded cluster of its own.
 */
class CommandLineTests {

    private static final String DATA = "isolatedpg.embedded.data-directory";

    @TempDir
    static Path data;

    /** What a command printed, and its exit code. */
    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String before = System.getProperty(DATA);
        System.setProperty(DATA, data.toString());
        try {
            int exit = Main.run(
                    args,
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            if (before == null) {
                System.clearProperty(DATA);
            } else {
                System.setProperty(DATA, before);
            }
        }
    }

    private static RunningServer server() {
        return Servers.start(Map.of("ISOLATEDPG_EMBEDDED_DATA_DIRECTORY", data.toString()));
    }

    @AfterAll
    static void stopTheCluster() {
        run("stop", "--force");
    }

    @Test
    void listShowsTemplatesWithTheirHashAndTestDatabasesWithTheirLiveOwner() throws Exception {
        try (RunningServer server = server()) {
            Api api = new Api(server.url());
            IntegresqlApiTests.ready(api, "listed-hash");
            Api.Reply test = api.testDatabase("listed-hash");
            Run list = run("list");
            assertThat(list.exit()).as(list.err()).isZero();
            assertThat(list.out())
                    .contains("KIND", "SIZE", "OWNER")
                    .containsPattern("template +ipg_tpl_[0-9a-f]{32} +[0-9.]+ MB +- +- +\\S+ +listed-hash")
                    .containsPattern("clone +" + test.database() + " +[0-9.]+ MB +[0-9a-f]{8} +alive")
                    .contains("database(s)");
        }
    }

    @Test
    void pruneListsWhatADeadJvmLeftAndDropsItOnlyWhenToldTo() throws Exception {
        try (RunningServer server = server()) {
            Api api = new Api(server.url());
            Api.Reply admin = api.initialize("prune-hash");
            String orphan = "ipg_0123456789ab_deadbeef_7"; // a clone of an owner that holds no lock: dead
            try (Connection connection = Servers.adminConnection(admin);
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + orphan);
            }
            Run dry = run("prune");
            assertThat(dry.exit()).as(dry.err()).isZero();
            assertThat(dry.out())
                    .containsPattern("clone +" + orphan + " .* deadbeef +dead")
                    .contains("A dry run");
            assertThat(Servers.databases(admin, orphan)).hasSize(1);

            Run yes = run("prune", "--yes");
            assertThat(yes.exit()).as(yes.err()).isZero();
            assertThat(yes.out()).contains("dropped " + orphan);
            assertThat(Servers.databases(admin, orphan)).isEmpty();
            assertThat(Servers.databases(admin, admin.database()))
                    .as("the live server's build")
                    .hasSize(1);
            api.discard("prune-hash");

            assertThat(run("prune", "--older-than", "soon").exit()).isEqualTo(2);
        }
    }

    @Test
    void stopRefusesWhileAJvmIsAttachedUnlessForced() {
        try (RunningServer server = server()) {
            Run refused = run("stop");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).contains("JVMs are attached", "--force");
            assertThat(new Api(server.url())
                            .send("GET", "/api/v1/templates", null)
                            .status())
                    .isEqualTo(200);
        }
        Run stopped = run("stop");
        assertThat(stopped.exit()).as(stopped.err()).isZero();
        assertThat(stopped.out()).contains("is not running"); // the last JVM to leave stopped it

        try (RunningServer server = server()) {
            Run forced = run("stop", "--force");
            assertThat(forced.exit()).as(forced.err()).isZero();
            assertThat(forced.out()).contains("Stopped the embedded server", "(forced)");
        }
    }

    @Test
    void doctorFindsNothingWrongHereAndNamesTheFixForATakenPort() throws Exception {
        Run healthy = run("doctor", "--parallelism", "4");
        assertThat(healthy.exit()).as(healthy.out() + healthy.err()).isZero();
        assertThat(healthy.out())
                .contains("ok   binaries", "ok   user", "ok   space", "ok   locale", "ok   ports", "ok   connections")
                .contains("4 tests at once")
                .contains("No problems found.");

        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            System.setProperty("INTEGRESQL_PORT", Integer.toString(taken.getLocalPort()));
            Run problem = run("doctor");
            assertThat(problem.exit()).isEqualTo(1);
            assertThat(problem.out())
                    .contains("FAIL ports")
                    .contains("set INTEGRESQL_PORT to a free one")
                    .contains("skipped: fix the problems above first");
        } finally {
            System.clearProperty("INTEGRESQL_PORT");
        }
        assertThat(run("doctor", "--parallelism", "none").exit()).isEqualTo(2);
    }
}
