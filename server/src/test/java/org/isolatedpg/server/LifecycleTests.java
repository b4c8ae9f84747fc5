package org.isolatedpg.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.isolatedpg.server.internal.cli.RunningServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Beyond IntegreSQL: leases that expire, recycling of what clients never give back, requests that answer in time
 * with the pool's state, templates that outlive a restart, and nothing left behind.
 */
class LifecycleTests {

    private static final Servers.Hashes HASHES = new Servers.Hashes();

    @org.junit.jupiter.api.AfterAll
    static void discardTemplates() {
        HASHES.discardAll();
    }

    @Test
    void anExpiredLeaseEndsTheClientsConnectionsAndRecreatesTheDatabase() throws Exception {
        try (RunningServer server = Servers.start(Map.of())) {
            Api api = new Api(server.url());
            String hash = HASHES.fresh();
            Api.Reply admin = IntegresqlApiTests.ready(api, hash);
            Api.Reply leased = api.send("GET", "/api/v1/templates/" + hash + "/tests?lease=1s", null);
            assertThat(leased.status()).isEqualTo(200);
            Api.Reply kept = api.testDatabase(hash); // no lease: IntegreSQL's behaviour, kept
            try (Connection connection = leased.connect();
                    Connection other = kept.connect()) {
                Servers.awaitDropped(Duration.ofSeconds(15), "the leased database dropped", admin, leased.database());
                assertThat(connection.isValid(2))
                        .as("the client's connection, ended")
                        .isFalse();
                assertThat(other.isValid(2)).isTrue();
            }
            assertThat(api.unlock(hash, leased.id()).status())
                    .as("given back after it expired")
                    .isEqualTo(204);
            assertThat(Servers.databases(admin, kept.database())).hasSize(1);
        }
    }

    @Test
    void testDatabasesNeverGivenBackAreRecycledOldestFirstUnlessAClientIsConnected() throws Exception {
        Map<String, String> environment = Map.of(
                "INTEGRESQL_TEST_INITIAL_POOL_SIZE", "1",
                "INTEGRESQL_TEST_MAX_POOL_SIZE", "3",
                "INTEGRESQL_TEST_DB_MINIMAL_LIFETIME_MS", "100");
        try (RunningServer server = Servers.start(environment)) {
            Api api = new Api(server.url());
            String hash = HASHES.fresh();
            Api.Reply admin = IntegresqlApiTests.ready(api, hash);
            Api.Reply inUse = api.testDatabase(hash);
            try (Connection connection = inUse.connect()) {
                Api.Reply second = api.testDatabase(hash);
                Api.Reply third = api.testDatabase(hash);
                Servers.migrate(second, "INSERT INTO item (name) VALUES ('changed')"); // so it is dropped, not reused
                Servers.migrate(third, "INSERT INTO item (name) VALUES ('changed')");
                Api.Reply fourth = api.testDatabase(hash);
                // 4 handed out, at most 3 - 1 = 2 kept: the two oldest nobody is connected to go
                Servers.awaitDropped(
                        Duration.ofSeconds(15),
                        "the second and third recycled",
                        admin,
                        second.database(),
                        third.database());
                assertThat(Servers.databases(admin, inUse.database()))
                        .as("in use")
                        .hasSize(1);
                assertThat(Servers.databases(admin, fourth.database()))
                        .as("the newest")
                        .hasSize(1);
                assertThat(connection.isValid(2)).isTrue();
            }
        }
    }

    @Test
    void aStuckRequestAnswersInTimeWithThePoolsState() throws Exception {
        Map<String, String> environment = Map.of(
                "INTEGRESQL_TEST_INITIAL_POOL_SIZE", "1",
                "INTEGRESQL_TEST_DB_GET_TIMEOUT_MS", "8000",
                "INTEGRESQL_TEMPLATE_FINALIZE_TIMEOUT_MS", "1000");
        try (RunningServer server = Servers.start(environment)) {
            Api api = new Api(server.url());
            String building = HASHES.fresh();
            api.initialize(building);
            Api.Reply notFinalized = api.testDatabase(building);
            assertThat(notFinalized.status()).isEqualTo(503);
            assertThat(notFinalized.json().get("message").toString())
                    .contains("not finalized within PT1S", "INTEGRESQL_TEMPLATE_FINALIZE_TIMEOUT_MS");
            api.discard(building);

            String hash = HASHES.fresh();
            Api.Reply admin = IntegresqlApiTests.ready(api, hash);
            String template = IntegresqlApiTests.templateOf(api, hash);
            // Someone stays connected to the template (fault matrix row 16): no clone can be made
            try (Connection superuser = Servers.adminConnection(admin);
                    Statement statement = superuser.createStatement()) {
                statement.execute("ALTER DATABASE " + template + " ALLOW_CONNECTIONS true");
                try (Connection intruder = DriverManager.getConnection(
                        "jdbc:postgresql://" + admin.config().get("host") + ":"
                                + ((Number) admin.config().get("port")).intValue() + "/" + template,
                        (String) admin.config().get("username"),
                        (String) admin.config().get("password"))) {
                    Api.Reply stuck = null;
                    for (int i = 0; i < 4 && (stuck == null || stuck.status() == 200); i++) {
                        long started = System.nanoTime();
                        stuck = api.testDatabase(hash);
                        assertThat(Duration.ofNanos(System.nanoTime() - started))
                                .isLessThan(Duration.ofSeconds(30));
                    }
                    assertThat(stuck.status()).isEqualTo(503);
                    assertThat(stuck.json().get("message").toString())
                            .contains("No test database became ready within PT8S", "being accessed by other users");
                    assertThat(((Map<?, ?>) stuck.json().get("pool")).keySet().toString())
                            .contains("ready", "handedOut", "creating", "waiting");
                    assertThat(intruder.isValid(1)).isTrue();
                } finally {
                    statement.execute("ALTER DATABASE " + template + " ALLOW_CONNECTIONS false");
                }
            }
            assertThat(api.discard(hash).status()).isEqualTo(204);
        }
    }

    @Test
    void afterARestartAKnownHashIsLockedAndServedAtOnce() throws Exception {
        String hash = HASHES.fresh();
        Api.Reply admin;
        try (RunningServer first = Servers.start(Map.of())) {
            admin = IntegresqlApiTests.ready(new Api(first.url()), hash);
        }
        try (RunningServer second = Servers.start(Map.of())) {
            Api api = new Api(second.url());
            assertThat(api.initialize(hash).status()).isEqualTo(423);
            Api.Reply test = api.testDatabase(hash);
            assertThat(test.status()).isEqualTo(200);
            assertThat(IntegresqlApiTests.names(test)).containsExactly("first", "second");
            Map<String, Object> listed = IntegresqlApiTests.listed(api, hash);
            assertThat(listed.get("created")).isNotNull();
            assertThat(api.finalizeTemplate(hash).status())
                    .as("finalized before the restart")
                    .isEqualTo(204);
            assertThat(api.discard(hash).status()).isEqualTo(204);
            assertThat(admin.status()).isEqualTo(200);
        }
    }

    @Test
    void aTokenIsRequiredOnceGiven() {
        try (RunningServer server = Servers.start(Map.of("ISOLATEDPG_HTTP_TOKEN", "s3cret-token"))) {
            Api.Reply none = new Api(server.url()).send("GET", "/api/v1/templates", null);
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.json().get("message").toString())
                    .contains("Authorization: Bearer")
                    .doesNotContain("s3cret");
            assertThat(new Api(server.url(), "wrong")
                            .send("GET", "/api/v1/templates", null)
                            .status())
                    .isEqualTo(401);
            assertThat(new Api(server.url(), "s3cret-token")
                            .send("GET", "/api/v1/templates", null)
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void onTheMachinesServerClosingLeavesNoTestDatabaseBehind() throws Exception {
        Assumptions.assumeTrue(
                answers() || "true".equals(System.getenv("CI")),
                "no PostgreSQL answers on 127.0.0.1:5432 (CI=true makes this a failure)");
        Set<String> before = ours();
        String hash = HASHES.fresh();
        Map<String, String> environment = Map.of("PGHOST", "127.0.0.1", "PGPORT", "5432", "PGUSER", "postgres");
        try (RunningServer server = Servers.start(environment)) {
            assertThat(server.description()).contains("5432");
            Api api = new Api(server.url());
            IntegresqlApiTests.ready(api, hash);
            api.testDatabase(hash);
            api.send("GET", "/api/v1/templates/" + hash + "/tests?lease=1m", null);
            String building = HASHES.fresh();
            api.initialize(building);
            assertThat(ours()).hasSizeGreaterThan(before.size() + 2);
        }
        Set<String> left = ours();
        left.removeAll(before);
        left.removeIf(name -> name.startsWith("ipg_tpl_"));
        assertThat(left).as("databases and clone roles left behind").isEmpty();
        try (RunningServer server = Servers.start(environment)) {
            assertThat(new Api(server.url()).discard(hash).status()).isEqualTo(204);
        }
    }

    private static boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static Set<String> ours() throws SQLException {
        try (Connection connection =
                        DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT datname FROM pg_database WHERE starts_with(datname, 'ipg_') UNION ALL SELECT 'role '"
                                + " || rolname FROM pg_roles WHERE rolname ~ '^ipg_[0-9a-f]{12}_[0-9a-f]{8}_[0-9]+$'")) {
            Set<String> names = new HashSet<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        }
    }
}
