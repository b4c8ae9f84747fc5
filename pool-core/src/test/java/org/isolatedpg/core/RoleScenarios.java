package org.isolatedpg.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Migrations that create roles, on a server that outlives the build (fault 4 of issue 7). The role names are unique
 * to each test (Flyway placeholders, which also make fingerprints no earlier run built), so tests never meet each
 * other's roles on a shared server; each test drops the templates and roles it made.
 */
abstract class RoleScenarios {

    /** The server of the concrete class. */
    abstract PostgresServer server();

    /** Role names and a password of one test. */
    record Names(String reader, String login, String password) {

        static Names fresh() {
            String run = String.format(
                    Locale.ROOT, "%08x", ThreadLocalRandom.current().nextInt());
            return new Names("ipg_test_reader_" + run, "ipg_test_login_" + run, "s3cret-" + run + "-pw");
        }

        Map<String, String> placeholders() {
            return Map.of("reader", reader, "login", login, "password", password);
        }
    }

    private final Names names = Names.fresh();
    private final List<String> templates = new ArrayList<>();

    @AfterEach
    void dropWhatTheTestMade() throws SQLException {
        for (String template : templates) {
            server().attachment().databases().dropTemplate(template);
        }
        try (Connection connection = admin();
                Statement statement = connection.createStatement()) {
            for (String role : rolesOf(names.reader(), names.login())) {
                statement.execute("DROP ROLE \"" + role + "\"");
            }
        }
    }

    @Test
    void migrationsThatCreateRolesKeepBuildingAfterTheyChangeAndOlderClonesKeepWorking() throws SQLException {
        try (TestDatabasePool v1 = open("classpath:db/roles-v1")) {
            long readerOfV1 = roleOid(names.reader());
            assertThat(queryAs(v1, names.reader(), "SELECT name FROM item ORDER BY id"))
                    .containsExactly("public");

            try (TestDatabasePool v2 = open("classpath:db/roles-v1", "classpath:db/roles-v2")) {
                assertThat(v2.fingerprint()).isNotEqualTo(v1.fingerprint());
                assertThat(roleOid(names.reader())).isNotEqualTo(readerOfV1);
                // v2's own role: its grant, its policy and its default privileges (on a table made after them)
                assertThat(queryAs(v2, names.reader(), "SELECT name FROM item ORDER BY id"))
                        .containsExactly("public");
                assertThat(queryAs(v2, names.reader(), "SELECT body FROM note")).containsExactly("added in v2");

                // v1's clones: the grants, policy and default privileges refer to v1's role by OID...
                assertThat(query(v1, "SELECT rolname FROM pg_roles WHERE oid = " + readerOfV1))
                        .singleElement()
                        .asString()
                        .isEqualTo("ipg_role_" + readerOfV1);
                assertThat(query(v1, "SELECT has_table_privilege(" + readerOfV1 + "::oid, 'item', 'SELECT')"))
                        .containsExactly("t");
                // ...and a test naming the role gets v2's, which inherits v1's privileges.
                assertThat(queryAs(v1, names.reader(), "SELECT name FROM item ORDER BY id"))
                        .containsExactly("public");
            }
            // The template built under v1 is still clonable, by a pool opened after v2 was built.
            try (TestDatabasePool again = open("classpath:db/roles-v1")) {
                assertThat(again.statistics().templateReused()).isTrue();
                assertThat(queryAs(again, names.reader(), "SELECT name FROM item ORDER BY id"))
                        .containsExactly("public");
            }
            assertThat(comment(names.reader())).startsWith("isolated-postgres: created by template ");
            assertThat(comment(names.login())).startsWith("isolated-postgres: created by template ");
        }
    }

    @Test
    void aTemplateBuiltIncrementallyKeepsTheRolesOfTheTemplateItIsBuiltOn() throws SQLException {
        try (TestDatabasePool v1 = open(true, "classpath:db/roles-v1")) {
            long readerOfV1 = roleOid(names.reader());
            try (TestDatabasePool v2 = open(true, "classpath:db/roles-v1", "classpath:db/roles-v2")) {
                assertThat(v2.statistics().templateBuiltFrom())
                        .isEqualTo(v1.fingerprint().substring(0, 12));
                assertThat(roleOid(names.reader())).isEqualTo(readerOfV1); // V1 did not run again: nothing retired
                assertThat(queryAs(v2, names.reader(), "SELECT body FROM note")).containsExactly("added in v2");
                assertThat(queryAs(v1, names.reader(), "SELECT name FROM item ORDER BY id"))
                        .containsExactly("public");
            }
        }
    }

    @Test
    void retiredRolesAreDroppedOnceTheirTemplatesAreGone() throws SQLException {
        String v1Template;
        long readerOfV1;
        try (TestDatabasePool v1 = open("classpath:db/roles-v1")) {
            v1Template = v1.templateName();
            readerOfV1 = roleOid(names.reader());
        }
        try (TestDatabasePool v2 = open("classpath:db/roles-v1", "classpath:db/roles-v2")) {
            server().attachment().databases().roles().collectRetired();
            assertThat(roleExists(readerOfV1))
                    .as("retired, still used by v1's template")
                    .isTrue();
            server().attachment().databases().dropTemplate(v1Template);
            templates.remove(v1Template);

            assertThat(server().attachment().databases().roles().collectRetired())
                    .isPositive();

            assertThat(roleExists(readerOfV1)).isFalse();
            assertThat(queryAs(v2, names.reader(), "SELECT body FROM note")).containsExactly("added in v2");
        }
    }

    @Test
    void buildsOfTwoFingerprintsCreatingTheSameRolesAtOnceBothSucceed() throws Exception {
        try (TestDatabasePool v1 = open("classpath:db/roles-v1")) {
            CyclicBarrier barrier = new CyclicBarrier(2);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<TestDatabasePool>> opened = new ArrayList<>();
                for (String extra : List.of("classpath:db/roles-v2", "classpath:db/roles-v3")) {
                    opened.add(threads.submit(() -> {
                        barrier.await(30, TimeUnit.SECONDS);
                        return open("classpath:db/roles-v1", extra);
                    }));
                }
                try (TestDatabasePool v2 = opened.get(0).get(120, TimeUnit.SECONDS);
                        TestDatabasePool v3 = opened.get(1).get(120, TimeUnit.SECONDS)) {
                    assertThat(queryAs(v2, names.reader(), "SELECT body FROM note"))
                            .containsExactly("added in v2");
                    assertThat(queryAs(v3, names.reader(), "SELECT title FROM label"))
                            .containsExactly("added in v3");
                    assertThat(queryAs(v1, names.reader(), "SELECT name FROM item ORDER BY id"))
                            .containsExactly("public");
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void aRoleTheLibraryDidNotCreateFailsTheBuildNamingTheRoleAndTheFix() throws SQLException {
        execute("CREATE ROLE " + names.login());
        long foreign = roleOid(names.login());

        TemplateBuildException failure = catchThrowableOfType(
                TemplateBuildException.class,
                () -> open("classpath:db/roles-v1").close());

        String login = names.login();
        assertThat(failure)
                .hasMessageMatching("(?s)Could not build template [0-9a-f]{12}: migration V1__reader.sql failed"
                        + " \\(SQLState 42710\\)\\.\n"
                        + "-> Error            : ERROR: role \"" + login + "\" already exists\n"
                        + "-> Source           : Flyway locations classpath:db/roles-v1 \\(from test\\)\n"
                        + "-> Server           : .*\n"
                        + "Role \"" + login + "\" already exists on the server, and isolated-postgres did not create"
                        + " it, so it leaves it alone\\.\n"
                        + "Roles are server-wide: every template, clone and other database on the server shares them\\."
                        + " Create the role idempotently in the migration,\n"
                        + "    DO \\$\\$ BEGIN CREATE ROLE " + login
                        + "; EXCEPTION WHEN duplicate_object THEN NULL; END \\$\\$;\n"
                        + "or drop the existing role \\(DROP ROLE " + login + "\\)\\.");
        assertThat(roleOid(login)).isEqualTo(foreign);
        assertThat(comment(login)).isNull();
        assertThat(roleExists(names.reader()))
                .as("the role the failed build created")
                .isFalse();
        assertThat(stackTrace(failure)).doesNotContain(names.password());
    }

    @Test
    void aPasswordTheServerEchoesFromAFailingMigrationAppearsInNoMessage() throws SQLException {
        execute("CREATE ROLE " + names.login());

        TemplateBuildException failure = catchThrowableOfType(
                TemplateBuildException.class,
                () -> open("classpath:db/roles-in-do").close());

        assertThat(failure).hasMessageContaining("Role \"" + names.login() + "\" already exists on the server");
        assertThat(stackTrace(failure)).contains("PASSWORD '<redacted>'").doesNotContain(names.password());
    }

    @Test
    void aBrokenNewMigrationLeavesTheRolesOfTheWorkingTemplateAsTheyWere() throws SQLException {
        try (TestDatabasePool v1 = open("classpath:db/roles-v1")) {
            long readerOfV1 = roleOid(names.reader());
            String commentOfV1 = comment(names.reader());

            TemplateBuildException failure = catchThrowableOfType(
                    TemplateBuildException.class,
                    () -> open("classpath:db/roles-v1", "classpath:db/roles-v2-broken")
                            .close());

            assertThat(failure).hasMessageContaining("migration V2__broken.sql failed (SQLState 42601)");
            assertThat(roleOid(names.reader())).isEqualTo(readerOfV1);
            assertThat(comment(names.reader())).isEqualTo(commentOfV1);
            assertThat(rolesOf(names.reader())).containsExactly(names.reader());
            assertThat(queryAs(v1, names.reader(), "SELECT name FROM item ORDER BY id"))
                    .containsExactly("public");
        }
    }

    @Test
    void aFailedBuildDropsTheRolesItCreated() throws SQLException {
        TemplateBuildException failure = catchThrowableOfType(
                TemplateBuildException.class,
                () -> open("classpath:db/roles-broken").close());

        assertThat(failure).hasMessageContaining("migration V2__broken.sql failed (SQLState 42601)");
        assertThat(roleExists(names.reader())).isFalse();
        assertThat(rolesOf(names.reader())).isEmpty();
    }

    // --- helpers

    /**
     * A pool built in full: these scenarios are about a build that meets the roles an older build made, and a template
     * built incrementally on the older one runs none of its migrations again (see the one test that says so).
     */
    TestDatabasePool open(String... locations) {
        return open(false, locations);
    }

    TestDatabasePool open(boolean incremental, String... locations) {
        TemplateSpec spec = TemplateSpec.builder()
                .flyway(List.of(locations))
                .flywayPlaceholders(names.placeholders())
                .origin(ConfigKeys.FLYWAY_LOCATIONS, "test")
                .build();
        TestDatabasePool pool = TestDatabasePool.open(
                server(),
                spec,
                Configuration.from(List.of(ConfigSource.of(
                                "test",
                                Map.of(
                                        ConfigKeys.POOL_SIZE,
                                        "2",
                                        ConfigKeys.TEMPLATE_INCREMENTAL,
                                        Boolean.toString(incremental)))))
                        .poolSettings());
        synchronized (templates) {
            if (!templates.contains(pool.templateName())) {
                templates.add(pool.templateName());
            }
        }
        return pool;
    }

    Names names() {
        return names;
    }

    Connection admin() throws SQLException {
        return DriverManager.getConnection(
                server().jdbcUrl("postgres"),
                server().attachment().server().user(),
                server().attachment().server().password());
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = admin();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> queryAs(TestDatabasePool pool, String role, String sql) throws SQLException {
        return query(pool, "SET ROLE \"" + role + "\"; " + sql);
    }

    /** Runs {@code sql} (statements; the last one a query) in a fresh clone of the pool's template. */
    private static List<String> query(TestDatabasePool pool, String sql) throws SQLException {
        try (TestDatabase db = pool.lease();
                Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            boolean rows = statement.execute(sql);
            while (!rows && statement.getUpdateCount() != -1) {
                rows = statement.getMoreResults();
            }
            List<String> values = new ArrayList<>();
            try (ResultSet result = statement.getResultSet()) {
                while (result.next()) {
                    values.add(result.getString(1));
                }
            }
            return values;
        }
    }

    private long roleOid(String name) throws SQLException {
        return Long.parseLong(single("SELECT oid FROM pg_roles WHERE rolname = '" + name + "'"));
    }

    private boolean roleExists(String name) throws SQLException {
        return single("SELECT count(*) FROM pg_roles WHERE rolname = '" + name + "'")
                .equals("1");
    }

    private boolean roleExists(long oid) throws SQLException {
        return single("SELECT count(*) FROM pg_roles WHERE oid = " + oid).equals("1");
    }

    private String comment(String role) throws SQLException {
        return single("SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = '" + role + "'");
    }

    /** The roles named so, and those retired from that name. */
    private List<String> rolesOf(String... names) throws SQLException {
        List<String> roles = new ArrayList<>();
        try (Connection connection = admin();
                Statement statement = connection.createStatement()) {
            for (String name : names) {
                try (ResultSet rows = statement.executeQuery("SELECT rolname FROM pg_roles WHERE rolname = '" + name
                        + "' OR shobj_description(oid, 'pg_authid') LIKE '%was \"" + name + "\"%'")) {
                    while (rows.next()) {
                        roles.add(rows.getString(1));
                    }
                }
            }
        }
        return roles;
    }

    private String single(String sql) throws SQLException {
        try (Connection connection = admin();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static String stackTrace(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    static Map<String, String> with(Map<String, String> values, String key, String value) {
        Map<String, String> copy = new HashMap<>(values);
        copy.put(key, value);
        return copy;
    }
}
