package org.isolatedpg.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a test may do to the server under the default privileges ({@code restricted} where the admin is a superuser):
 * wreck its own database, and nothing else. Run on the embedded server and on an external one.
 */
abstract class PrivilegeScenarios {

    abstract PostgresServer server();

    private TestDatabasePool open(Map<String, String> values) {
        return TestDatabasePool.open(
                server(),
                TemplateSpec.of("classpath:db/pooltest"),
                Configuration.from(List.of(ConfigSource.of("test", values))).poolSettings());
    }

    @Test
    void aTestOwnsItsDatabaseAndMayWreckIt() throws SQLException {
        try (TestDatabasePool pool = open(Map.of());
                TestDatabase db = pool.lease();
                Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            assertThat(db.username()).isEqualTo(db.name());
            assertThat(single(statement, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
                    .isEqualTo("f");
            statement.execute("CREATE TABLE mine (id int)");
            statement.execute("TRUNCATE item");
            statement.execute("ALTER TABLE item ADD COLUMN extra text");
            statement.execute("DROP SCHEMA public CASCADE");
            statement.execute("CREATE SCHEMA public");
            statement.execute("CREATE TABLE public.again (id int)");
            assertThat(single(statement, "SELECT count(*) FROM pg_tables WHERE tablename = 'item'"))
                    .isEqualTo("0");
        }
    }

    @Test
    void aTestCannotUnsealOrDropATemplateNorAlterTheSystem() throws SQLException {
        try (TestDatabasePool pool = open(Map.of());
                TestDatabase db = pool.lease();
                Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            String template = pool.templateName();

            assertThat(stateOf(statement, "ALTER DATABASE " + template + " IS_TEMPLATE false"))
                    .isEqualTo("42501");
            assertThat(stateOf(statement, "DROP DATABASE " + template)).isEqualTo("42501");
            assertThat(stateOf(statement, "ALTER SYSTEM SET work_mem = '1GB'")).isEqualTo("42501");
            assertThat(stateOf(statement, "CREATE ROLE intruder")).isEqualTo("42501");
            assertThat(stateOf(statement, "CREATE DATABASE intruder")).isEqualTo("42501");
        }
    }

    @Test
    void aTestCannotConnectToAnotherTestsDatabaseNorToTheTemplate() throws SQLException {
        try (TestDatabasePool pool = open(Map.of());
                TestDatabase mine = pool.lease();
                TestDatabase theirs = pool.lease()) {
            SQLException other = catchThrowableOfType(
                    SQLException.class,
                    () -> DriverManager.getConnection(theirs.jdbcUrl(), mine.username(), mine.password())
                            .close());
            SQLException template = catchThrowableOfType(
                    SQLException.class,
                    () -> DriverManager.getConnection(
                                    server().jdbcUrl(pool.templateName()), mine.username(), mine.password())
                            .close());

            assertThat(other.getSQLState()).isEqualTo("42501");
            assertThat(other.getMessage()).contains("permission denied for database");
            // Not accepting connections (55000) is checked before the privilege (42501), which is revoked too.
            assertThat(template.getSQLState()).isIn("55000", "42501");
        }
    }

    @Test
    void noRoleOfThisOwnerIsLeftAfterReleaseAndClose() throws SQLException {
        String name;
        try (TestDatabasePool pool = open(Map.of(ConfigKeys.POOL_SIZE, "2"))) {
            try (TestDatabase db = pool.lease()) {
                name = db.name();
                assertThat(rolesOfThisOwner()).contains(name);
            }
        }
        assertThat(rolesOfThisOwner()).isEmpty();
        assertThat(Admin.of(server()).databasesOf(server().owner())).isEmpty();
    }

    @Test
    void adminPrivilegesConnectAsTheAdminFromATemplateOfItsOwn() throws SQLException {
        try (TestDatabasePool restricted = open(Map.of());
                TestDatabasePool admin = open(Map.of(ConfigKeys.DATASOURCE_PRIVILEGES, "admin"));
                TestDatabase db = admin.lease()) {
            assertThat(db.username()).isEqualTo(server().attachment().server().user());
            assertThat(admin.fingerprint()).isNotEqualTo(restricted.fingerprint());
        }
    }

    private List<String> rolesOfThisOwner() throws SQLException {
        return Admin.of(server())
                .strings("SELECT rolname FROM pg_roles WHERE starts_with(rolname, 'ipg_') AND rolname LIKE '%\\_"
                        + server().owner() + "\\_%' ORDER BY 1");
    }

    private static String stateOf(Statement statement, String sql) {
        SQLException failure = catchThrowableOfType(SQLException.class, () -> statement.execute(sql));
        return failure == null ? "(succeeded)" : failure.getSQLState();
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
