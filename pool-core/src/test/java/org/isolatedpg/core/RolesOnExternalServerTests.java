package org.isolatedpg.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * {@link RoleScenarios} on the machine's PostgreSQL on 127.0.0.1:5432 (trust authentication), a server shared with
 * others: skipped where none answers, except on CI ({@code CI=true}), where its absence fails the tests.
 */
@ResourceLock(SharedServers.EXTERNAL)
class RolesOnExternalServerTests extends RoleScenarios {

    static final Map<String, String> EXTERNAL = Map.of(
            ConfigKeys.SERVER_MODE, "external",
            ConfigKeys.SERVER_URL, "jdbc:postgresql://127.0.0.1:5432/postgres",
            ConfigKeys.SERVER_USER, "postgres");

    @RegisterExtension
    static final ExternalPostgres EXTERNAL_SERVER = new ExternalPostgres();

    @Override
    PostgresServer server() {
        return EXTERNAL_SERVER.server();
    }

    @Test
    void anAdminWithoutCreateroleIsToldItNeedsIt() throws SQLException {
        String creator = names().reader().replace("reader", "creator");

        TemplateBuildException failure = buildAs(creator, "CREATEDB", "classpath:db/roles-v1");

        assertThat(failure)
                .hasMessageContaining("migration V1__reader.sql failed (SQLState 42501)")
                .hasMessageEndingWith("If the failing statement creates, alters or grants a role: the admin role \""
                        + creator + "\" has no CREATEROLE, which that needs. As a superuser, run ALTER ROLE "
                        + creator + " CREATEROLE;\n"
                        + "or create the roles beforehand and make the migration create them idempotently.");
    }

    @Test
    void anAdminThatMayNotRenameAnEarlierBuildsRoleIsToldWhy() throws SQLException {
        open("classpath:db/roles-v1").close();
        String reader = names().reader();
        execute("ALTER ROLE " + reader + " SUPERUSER"); // only a superuser may rename a superuser
        String creator = names().reader().replace("reader", "creator");

        TemplateBuildException failure =
                buildAs(creator, "CREATEDB CREATEROLE", "classpath:db/roles-v1", "classpath:db/roles-v2");

        assertThat(failure)
                .hasMessageContaining("migration V1__reader.sql failed (SQLState 42710)")
                .hasMessageContaining("Role \"" + reader + "\" was created by an earlier template build, and must"
                        + " be renamed out of the way of this one, but the admin role \"" + creator
                        + "\" may not rename it (ERROR: ")
                .hasMessageEndingWith("Renaming a role needs CREATEROLE, and superuser for a superuser role."
                        + " Grant that, or drop the role (DROP ROLE " + reader + ").");
    }

    /** Builds a template as a role of this test's with {@code attributes}, which is dropped afterwards. */
    private TemplateBuildException buildAs(String admin, String attributes, String... locations) throws SQLException {
        execute("CREATE ROLE " + admin + " LOGIN " + attributes);
        try (PostgresServer asAdmin =
                PostgresServer.start(serverSettings(with(EXTERNAL, ConfigKeys.SERVER_USER, admin)))) {
            return catchThrowableOfType(
                    TemplateBuildException.class,
                    () -> TestDatabasePool.open(
                                    asAdmin,
                                    TemplateSpec.builder()
                                            .flyway(List.of(locations))
                                            .flywayPlaceholders(names().placeholders())
                                            .origin(ConfigKeys.FLYWAY_LOCATIONS, "test")
                                            .build(),
                                    Configuration.from(List.of()).poolSettings())
                            .close());
        } finally {
            execute("DROP ROLE " + admin);
        }
    }

    static ServerSettings serverSettings(Map<String, String> values) {
        return Configuration.from(List.of(ConfigSource.of("test", values))).serverSettings();
    }

    /** Whether something answers on 127.0.0.1:5432. */
    static boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
