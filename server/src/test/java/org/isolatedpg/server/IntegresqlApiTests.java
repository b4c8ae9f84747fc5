package org.isolatedpg.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.isolatedpg.server.internal.cli.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every route and status code of IntegreSQL's v1 API, over real HTTP, on the embedded server. */
class IntegresqlApiTests {

    private static final Servers.Hashes HASHES = new Servers.Hashes();

    private static RunningServer server;
    private static Api api;

    @BeforeAll
    static void start() {
        server = Servers.start(Map.of());
        api = new Api(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
        HASHES.discardAll();
    }

    /** A hash initialized, migrated by the "client" and finalized; returns the initialize reply. */
    static Api.Reply ready(Api api, String hash) throws SQLException {
        Api.Reply initialized = api.initialize(hash);
        assertThat(initialized.status()).isEqualTo(200);
        Servers.migrate(
                initialized,
                "CREATE TABLE item (id serial PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO item (name) VALUES ('first'), ('second')");
        assertThat(api.finalizeTemplate(hash).status()).isEqualTo(204);
        return initialized;
    }

    static List<String> names(Api.Reply testDatabase) throws SQLException {
        try (Connection connection = testDatabase.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT name FROM item ORDER BY id")) {
            List<String> names = new ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        }
    }

    @Test
    void initializeHandsOverTheTemplateThenFinalizeServesMigratedTestDatabases() throws Exception {
        String hash = HASHES.fresh();
        Api.Reply initialized = api.initialize(hash);
        assertThat(initialized.status()).isEqualTo(200);
        assertThat(initialized.json()).containsKey("database");
        assertThat(((Map<?, ?>) initialized.json().get("database")).get("templateHash"))
                .isEqualTo(hash);
        assertThat(initialized.config()).containsKeys("host", "port", "username", "password", "database");

        assertThat(api.initialize(hash).status()).as("a second initialize").isEqualTo(423);
        Servers.migrate(initialized, "CREATE TABLE item (id serial PRIMARY KEY, name text NOT NULL)");
        Servers.migrate(initialized, "INSERT INTO item (name) VALUES ('first'), ('second')");
        assertThat(api.finalizeTemplate(hash).status()).isEqualTo(204);
        assertThat(api.finalizeTemplate(hash).status()).as("finalized again").isEqualTo(204);
        assertThat(api.initialize(hash).status())
                .as("initialize once finalized")
                .isEqualTo(423);

        Api.Reply first = api.testDatabase(hash);
        Api.Reply second = api.testDatabase(hash);
        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.id()).isEqualTo(first.id() + 1);
        assertThat(first.database()).isNotEqualTo(second.database()).isNotEqualTo(initialized.database());
        assertThat(((Map<?, ?>) first.json().get("database")).get("templateHash"))
                .isEqualTo(hash);
        assertThat(names(first)).containsExactly("first", "second");
        assertThat(names(second)).containsExactly("first", "second");
    }

    @Test
    void anUntouchedTestDatabaseGoesBackAsItIsAndAChangedOneIsRecreated() throws Exception {
        String hash = HASHES.fresh();
        ready(api, hash);
        Api.Reply read = api.testDatabase(hash);
        assertThat(names(read)).hasSize(2);
        assertThat(api.unlock(hash, read.id()).status()).isEqualTo(204);
        awaitReturned(api, hash);
        Api.Reply again = api.testDatabase(hash);
        assertThat(again.database()).as("the untouched one, first in line").isEqualTo(read.database());

        try (Connection connection = again.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO item (name) VALUES ('mine')");
        }
        assertThat(api.unlock(hash, again.id()).status())
                .as("a client's unlock of a changed database")
                .isEqualTo(204);
        awaitReturned(api, hash);
        for (int i = 0; i < 6; i++) {
            Api.Reply next = api.testDatabase(hash);
            assertThat(next.database()).isNotEqualTo(again.database());
            assertThat(names(next)).containsExactly("first", "second");
        }
    }

    @Test
    void recreateAndTheOldDeleteAliasTakeTestDatabasesBackAndUnknownIdsAreRefused() throws Exception {
        String hash = HASHES.fresh();
        ready(api, hash);
        Api.Reply first = api.testDatabase(hash);
        Api.Reply second = api.testDatabase(hash);
        assertThat(api.recreate(hash, first.id()).status()).isEqualTo(204);
        assertThat(api.giveBack(hash, second.id()).status()).isEqualTo(204);
        assertThat(api.giveBack(hash, second.id()).status())
                .as("given back twice: a no-op")
                .isEqualTo(204);
        assertThat(api.unlock(hash, 999).status()).as("never handed out").isEqualTo(500);
        assertThat(api.unlock(hash, 999).json().get("message").toString()).contains("999");
        assertThat(api.send("POST", "/api/v1/templates/" + hash + "/tests/abc/unlock", null)
                        .status())
                .isEqualTo(400);
        assertThat(api.unlock("no" + hash, 1).status()).isEqualTo(404);
        assertThat(api.recreate("no" + hash, 1).status()).isEqualTo(404);
    }

    @Test
    void unknownHashesAreNotFoundAndBadRequestsAreRefusedWithTheFix() {
        String hash = HASHES.fresh();
        assertThat(api.testDatabase(hash).status()).isEqualTo(404);
        assertThat(api.finalizeTemplate(hash).status()).isEqualTo(404);
        assertThat(api.discard(hash).status()).isEqualTo(404);
        Api.Reply noHash = api.send("POST", "/api/v1/templates", "{}");
        assertThat(noHash.status()).isEqualTo(400);
        assertThat(noHash.json().get("message")).isEqualTo("hash is required");
        assertThat(api.send("POST", "/api/v1/templates", "not json").status()).isEqualTo(400);
        assertThat(api.initialize("a/b%20c").status()).isIn(400, 404);
        Api.Reply badLease = api.send("GET", "/api/v1/templates/" + hash + "/tests?lease=soon", null);
        assertThat(badLease.status()).isEqualTo(400);
        assertThat(badLease.json().get("message").toString()).contains("'lease' = 'soon'", "lease=30s");
        assertThat(api.send("GET", "/api/v2/templates", null).status()).isEqualTo(404);
        assertThat(api.send("PATCH", "/api/v1/templates/" + hash, null).status())
                .isEqualTo(405);
        assertThat(api.send("GET", "/api/v1/templates/", null).status())
                .as("a trailing slash")
                .isEqualTo(200);
    }

    @Test
    void aRequestWaitsForTheTemplateToBeFinalizedAndOneWaitingWhenItIsDiscardedGetsGone() throws Exception {
        String hash = HASHES.fresh();
        Api.Reply initialized = api.initialize(hash);
        CompletableFuture<Api.Reply> waiting = CompletableFuture.supplyAsync(() -> api.testDatabase(hash));
        Thread.sleep(300);
        assertThat(waiting).isNotDone();
        Servers.migrate(initialized, "CREATE TABLE item (id serial PRIMARY KEY, name text NOT NULL)");
        assertThat(api.finalizeTemplate(hash).status()).isEqualTo(204);
        assertThat(waiting.get().status()).isEqualTo(200);

        String discarded = HASHES.fresh();
        Api.Reply building = api.initialize(discarded);
        CompletableFuture<Api.Reply> gone = CompletableFuture.supplyAsync(() -> api.testDatabase(discarded));
        Thread.sleep(300);
        assertThat(api.discard(discarded).status()).isEqualTo(204);
        assertThat(gone.get().status()).isEqualTo(410);
        assertThat(api.testDatabase(discarded).status()).as("afterwards").isEqualTo(404);
        assertThat(Servers.databases(building, building.database()))
                .as("the build database")
                .isEmpty();
        assertThat(api.initialize(discarded).status()).as("initialized anew").isEqualTo(200);
        assertThat(api.discard(discarded).status()).isEqualTo(204);
    }

    @Test
    void discardingAFinalizedTemplateDropsItAndItsTestDatabases() throws Exception {
        String hash = HASHES.fresh();
        Api.Reply admin = ready(api, hash);
        Api.Reply test = api.testDatabase(hash);
        String template = templateOf(api, hash);
        assertThat(api.discard(hash).status()).isEqualTo(204);
        assertThat(Servers.databases(admin, template)).isEmpty();
        Servers.awaitDropped(Duration.ofSeconds(10), "the test database dropped", admin, test.database());
        assertThat(api.testDatabase(hash).status()).isEqualTo(404);
        assertThat(api.initialize(hash).status()).as("built anew").isEqualTo(200);
        assertThat(api.discard(hash).status()).isEqualTo(204);
    }

    @Test
    void theListingNamesEveryTemplateWithItsSizeAgeAndTestDatabases() throws Exception {
        String hash = HASHES.fresh();
        ready(api, hash);
        Api.Reply test = api.testDatabase(hash);
        String building = HASHES.fresh();
        api.initialize(building);

        Map<String, Object> listed = listed(api, hash);
        assertThat(listed.get("database").toString()).startsWith("ipg_tpl_");
        assertThat(listed.get("state")).isEqualTo("ready");
        assertThat(((Number) listed.get("sizeBytes")).longValue()).isPositive();
        assertThat(listed.get("created")).isNotNull();
        assertThat(listed.get("lastUsed")).isNotNull();
        assertThat(((Map<?, ?>) listed.get("tests")).keySet().toString())
                .contains("ready", "handedOut", "creating", "waiting");
        assertThat(((Number) ((Map<?, ?>) listed.get("tests")).get("handedOut")).intValue())
                .isEqualTo(1);
        assertThat(listed(api, building).get("state")).isEqualTo("initializing");
        assertThat(api.giveBack(hash, test.id()).status()).isEqualTo(204);
        assertThat(api.discard(building).status()).isEqualTo(204);
    }

    @Test
    void manyClientsInitializingOneHashAtOnceBuildItOnceAndOtherHashesDoNotWait() throws Exception {
        String hash = HASHES.fresh();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Api.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                replies.add(clients.submit(() -> api.initialize(hash)));
            }
            List<Api.Reply> initialized = new ArrayList<>();
            int locked = 0;
            for (Future<Api.Reply> reply : replies) {
                Api.Reply each = reply.get();
                if (each.status() == 200) {
                    initialized.add(each);
                } else {
                    assertThat(each.status()).isEqualTo(423);
                    locked++;
                }
            }
            assertThat(initialized).hasSize(1);
            assertThat(locked).isEqualTo(7);
            List<Future<Api.Reply>> tests = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tests.add(clients.submit(() -> api.testDatabase(hash)));
            }

            // While that build is open, another hash is built and served
            String other = HASHES.fresh();
            ready(api, other);
            assertThat(api.testDatabase(other).status()).isEqualTo(200);
            for (Future<Api.Reply> test : tests) {
                assertThat(test).isNotDone();
            }

            Servers.migrate(initialized.get(0), "CREATE TABLE item (id serial PRIMARY KEY, name text NOT NULL)");
            assertThat(api.finalizeTemplate(hash).status()).isEqualTo(204);
            List<String> databases = new ArrayList<>();
            for (Future<Api.Reply> test : tests) {
                Api.Reply each = test.get();
                assertThat(each.status()).isEqualTo(200);
                databases.add(each.database());
            }
            assertThat(databases).doesNotHaveDuplicates();
        } finally {
            clients.shutdownNow();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> listed(Api api, String hash) {
        Api.Reply listing = api.send("GET", "/api/v1/templates", null);
        assertThat(listing.status()).isEqualTo(200);
        List<Map<String, Object>> templates =
                (List<Map<String, Object>>) org.isolatedpg.server.internal.json.Json.parse(listing.body());
        return templates.stream()
                .filter(each -> hash.equals(each.get("hash")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(hash + " is not listed: " + listing.body()));
    }

    static String templateOf(Api api, String hash) {
        return listed(api, hash).get("database").toString();
    }

    /** Waits until no test database of {@code hash} is being checked. */
    static void awaitReturned(Api api, String hash) throws InterruptedException {
        Servers.await(Duration.ofSeconds(30), "the returned test database checked", () -> {
            Map<?, ?> tests = (Map<?, ?>) listed(api, hash).get("tests");
            return ((Number) tests.get("returning")).intValue() == 0;
        });
    }
}
