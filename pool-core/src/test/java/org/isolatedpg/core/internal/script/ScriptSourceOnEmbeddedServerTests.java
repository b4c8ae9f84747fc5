package org.isolatedpg.core.internal.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.isolatedpg.core.ScratchDatabases;
import org.isolatedpg.core.SharedServers;
import org.isolatedpg.core.internal.source.BuildTarget;
import org.isolatedpg.core.internal.source.SourceFailedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Loads scripts and the committed dumps (made by pg_dump 15 and 18) into scratch databases on the embedded server. */
@ResourceLock(SharedServers.EMBEDDED_DEFAULT)
class ScriptSourceOnEmbeddedServerTests {

    private static final ClassLoader LOADER = ScriptSourceOnEmbeddedServerTests.class.getClassLoader();

    private static ScratchDatabases databases;

    @TempDir
    Path folder;

    @BeforeAll
    static void startServer() {
        databases = ScratchDatabases.onEmbeddedServer();
    }

    @AfterAll
    static void dropDatabases() throws SQLException {
        databases.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {DumpChecks.PG15_DUMP, DumpChecks.PG18_DUMP})
    void loadsADumpWithItsDataSequencesAndCode(String dump) throws SQLException {
        BuildTarget target = databases.create(LOADER);

        assertThat(scripts(false, dump).apply(target)).isEqualTo(1);

        try (Connection connection = target.connect()) {
            assertThat(DumpChecks.actual(connection)).isEqualTo(DumpChecks.expected());
            assertThat(string(connection, "SELECT shop.greeting('Ada')")).isEqualTo("Hello, Ada;");
            assertThat(string(connection, "SELECT shop.order_total(100) > 0")).isEqualTo("t");
            assertThat(string(connection, "SELECT shop.size_of(101)")).isEqualTo("big");
            assertThat(string(connection, "CALL shop.next_invoice(NULL)")).isEqualTo("4243");
            assertThat(string(connection, "SELECT sum(orders) FROM shop.customer_orders"))
                    .isEqualTo("4000");
            assertThat(string(connection, "SELECT obj_description('shop.customer'::regclass)"))
                    .isEqualTo("People who buy; PII that anonymise scripts rewrite.");
            assertThat(string(connection, "SELECT to_regclass('shop.customer_lower_email') IS NOT NULL"))
                    .isEqualTo("t");
            // The identity goes on from the dumped value, and the trigger (created after the data) fires.
            assertThat(string(
                            connection,
                            "INSERT INTO shop.orders (customer_id, status, placed_at) VALUES (1, 'paid', now())"
                                    + " RETURNING id"))
                    .isEqualTo("4100");
            assertThat(string(connection, "SELECT count(*) FROM audit.event WHERE row_id = 4100"))
                    .isEqualTo("1");
            assertThat(sqlState(
                            connection,
                            "INSERT INTO shop.customer (name, email, created_at)"
                                    + " VALUES ('x', 'no at sign', now())"))
                    .as("the domain's check")
                    .isEqualTo("23514");
            assertThat(sqlState(
                            connection,
                            "INSERT INTO shop.orders (customer_id, status, placed_at)" + " VALUES (1, 'lost', now())"))
                    .as("the enum")
                    .isEqualTo("22P02");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {DumpChecks.PG15_DUMP, DumpChecks.PG18_DUMP})
    void skipsOwnersAndPrivilegesOfRolesTheServerDoesNotHaveAndKeepsThoseOfPublic(String dump) throws SQLException {
        BuildTarget target = databases.create(LOADER);

        scripts(false, dump).apply(target);

        try (Connection connection = target.connect()) {
            assertThat(strings(connection, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'shop'"))
                    .as("ALTER TABLE shop.product OWNER TO shop_owner was skipped")
                    .containsExactly(databases.user());
            assertThat(string(connection, "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'audit'"))
                    .isEqualTo(databases.user());
            assertThat(string(connection, "SELECT proacl::text FROM pg_proc WHERE proname = 'order_total'"))
                    .as("REVOKE ALL ... FROM PUBLIC ran; GRANT ... TO shop_reader did not")
                    .isEqualTo("{" + databases.user() + "=X/" + databases.user() + "}");
            assertThat(strings(connection, "SELECT defaclrole::regrole::text FROM pg_default_acl"))
                    .isEmpty();
        }
    }

    @Test
    void runsOwnersAndPrivilegesWhenToldToAndFailsOnTheFirstMissingRole() throws SQLException {
        BuildTarget target = databases.create(LOADER);

        SourceFailedException failure = catchThrowableOfType(
                SourceFailedException.class,
                () -> scripts(true, DumpChecks.PG15_DUMP).apply(target));

        assertThat(failure.step()).contains("script " + DumpChecks.PG15_DUMP + " line 28");
        assertThat(failure).hasMessageContaining("role \"shop_owner\" does not exist");
        assertThat(failure.getCause()).isInstanceOf(SQLException.class);
        assertThat(((SQLException) failure.getCause()).getSQLState()).isEqualTo("42704");
    }

    @Test
    void keepsPrivilegesOfExistingRolesAndSkipsOnlyStatementsNamingMissingOnes() throws Exception {
        String reader = "ipgtest_reader_" + UUID.randomUUID().toString().substring(0, 8);
        databases.execute("CREATE ROLE " + reader);
        BuildTarget target = databases.create(LOADER);
        try {
            Path script = write(
                    "grants.sql",
                    "CREATE TABLE t (id int);\n"
                            + "GRANT SELECT ON TABLE t TO " + reader + ";\n"
                            + "GRANT INSERT ON TABLE t TO " + reader + ", ghost_reader;\n"
                            + "ALTER TABLE t OWNER TO \"Ghost Owner\";\n"
                            + "REVOKE ALL ON TABLE t FROM PUBLIC;\n");

            scripts(false, "filesystem:" + script).apply(target);

            try (Connection connection = target.connect()) {
                assertThat(string(connection, "SELECT has_table_privilege('" + reader + "', 't', 'SELECT')"))
                        .isEqualTo("t");
                assertThat(string(connection, "SELECT has_table_privilege('" + reader + "', 't', 'INSERT')"))
                        .as("a statement naming one missing role is skipped whole")
                        .isEqualTo("f");
                assertThat(string(connection, "SELECT tableowner FROM pg_tables WHERE tablename = 't'"))
                        .isEqualTo(databases.user());
            }
        } finally {
            databases.drop(target);
            databases.execute("DROP ROLE " + reader);
        }
    }

    @Test
    void anonymisesADumpWithAScriptRunAfterIt() throws SQLException {
        BuildTarget target = databases.create(LOADER);

        int files = scripts(false, DumpChecks.PG18_DUMP, "scripts/anonymise/anonymise-customers.sql")
                .apply(target);

        assertThat(files).isEqualTo(2);
        try (Connection connection = target.connect()) {
            assertThat(string(connection, "SELECT count(*) FROM shop.customer")).isEqualTo("1490");
            assertThat(string(
                            connection,
                            "SELECT count(*) FROM shop.customer WHERE email NOT LIKE 'user%@example.com'"
                                    + " OR name NOT LIKE 'Customer %' OR note IS NOT NULL"))
                    .isEqualTo("0");
        }
    }

    @Test
    void runsTheSqlFilesOfAFolderInNameOrderAndNotItsSubFolders() throws SQLException {
        BuildTarget target = databases.create(LOADER);

        assertThat(scripts(false, "classpath:scripts/ordered/").apply(target)).isEqualTo(2);

        try (Connection connection = target.connect()) {
            assertThat(strings(connection, "SELECT script FROM run_log ORDER BY n"))
                    .containsExactly("10_b", "2_a");
        }
    }

    @Test
    void stopsAtTheFirstFailingStatementNamingItsFileLineAndSqlState() throws SQLException {
        BuildTarget target = databases.create(LOADER);

        SourceFailedException failure = catchThrowableOfType(
                SourceFailedException.class,
                () -> scripts(false, "scripts/broken").apply(target));

        assertThat(failure.step()).contains("script classpath:scripts/broken/02_fail.sql line 4");
        assertThat(failure).hasMessageContaining("relation \"no_such_table\" does not exist");
        assertThat(((SQLException) failure.getCause()).getSQLState()).isEqualTo("42P01");
        try (Connection connection = target.connect()) {
            assertThat(string(connection, "SELECT count(*) FROM before_failure"))
                    .isEqualTo("1");
            assertThat(strings(
                            connection,
                            "SELECT relname FROM pg_class WHERE relname IN"
                                    + " ('after_failure_same_file', 'after_failure')"))
                    .isEmpty();
        }
    }

    @Test
    void namesTheLineOfACopyWhoseDataFails() throws Exception {
        BuildTarget target = databases.create(LOADER);
        Path script = write(
                "copy.sql",
                "CREATE TABLE n (i int, t text);\nCOPY n (i, t) FROM stdin;\n1\tone\nnot a number\ttwo\n\\.\n");

        SourceFailedException failure = catchThrowableOfType(
                SourceFailedException.class,
                () -> scripts(false, "filesystem:" + script).apply(target));

        assertThat(failure.step()).contains("script filesystem:" + script + " line 2");
        assertThat(((SQLException) failure.getCause()).getSQLState()).isEqualTo("22P02");
    }

    @Test
    void copiesDataWithEscapesTabsAndNullsAsPsqlWould() throws Exception {
        BuildTarget target = databases.create(LOADER);
        Path script = write(
                "copy.sql",
                "CREATE TABLE n (i int, t text);\nCOPY n (i, t) FROM stdin;\n"
                        + "1\tTab\\there\n2\t\\N\n3\tback\\\\slash\\nnewline\n4\t🐘 ünï\n\\.\nSELECT 'after';\n");

        scripts(false, "filesystem:" + script).apply(target);

        try (Connection connection = target.connect()) {
            assertThat(strings(connection, "SELECT coalesce(t, '<null>') FROM n ORDER BY i"))
                    .containsExactly("Tab\there", "<null>", "back\\slash\nnewline", "🐘 ünï");
        }
    }

    @Test
    void refusesPsqlMetaCommandsOtherThanRestrict() throws Exception {
        BuildTarget target = databases.create(LOADER);
        Path script = write("meta.sql", "\\restrict k\nSELECT 1;\n\\connect other\n\\unrestrict k\n");

        SourceFailedException failure = catchThrowableOfType(
                SourceFailedException.class,
                () -> scripts(false, "filesystem:" + script).apply(target));

        assertThat(failure.step()).contains("script filesystem:" + script + " line 3");
        assertThat(failure)
                .hasMessage("The psql meta-command \\connect cannot run here: scripts are sent over JDBC, not"
                        + " through psql. Remove the line (pg_dump writes \\connect only for pg_dump --create or"
                        + " pg_dumpall; dump one database without them).");
    }

    @Test
    void runsAScriptWithAByteOrderMarkAndRefusesOneThatIsNotUtf8() throws Exception {
        BuildTarget target = databases.create(LOADER);
        Path bom = folder.resolve("bom.sql");
        Files.write(bom, concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, utf8("CREATE TABLE bom_ok ();")));
        Path latin1 = folder.resolve("latin1.sql");
        Files.write(latin1, "SELECT 1;\nSELECT 'caf\u00e9';\n".getBytes(StandardCharsets.ISO_8859_1));

        scripts(false, "filesystem:" + bom).apply(target);
        SourceFailedException failure = catchThrowableOfType(
                SourceFailedException.class,
                () -> scripts(false, "filesystem:" + latin1).apply(target));

        try (Connection connection = target.connect()) {
            assertThat(string(connection, "SELECT to_regclass('bom_ok') IS NOT NULL"))
                    .isEqualTo("t");
        }
        assertThat(failure.step()).contains("script filesystem:" + latin1);
        assertThat(failure).hasMessageStartingWith("Not UTF-8 text: line 2 ");
    }

    @Test
    void runsEachFileInASessionOfItsOwn() throws Exception {
        BuildTarget target = databases.create(LOADER);
        Path first = write("first.sql", "SELECT pg_catalog.set_config('search_path', '', false);\n");
        Path second = write("second.sql", "CREATE TABLE in_public (id int);\n");

        scripts(false, "filesystem:" + first, "filesystem:" + second).apply(target);

        try (Connection connection = target.connect()) {
            assertThat(string(connection, "SELECT to_regclass('public.in_public') IS NOT NULL"))
                    .isEqualTo("t");
        }
    }

    private static ScriptSource scripts(boolean keepOwnersAndPrivileges, String... locations) {
        return new ScriptSource("isolatedpg.scripts", List.of(locations), keepOwnersAndPrivileges, "test");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(folder.resolve(name), text);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String string(Connection connection, String sql) throws SQLException {
        return strings(connection, sql).get(0);
    }

    private static List<String> strings(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static String sqlState(Connection connection, String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
            return "no error";
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }
}
