package org.isolatedpg.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * {@link PrivilegeScenarios} on the machine's PostgreSQL on 127.0.0.1:5432 (trust authentication, admin
 * {@code postgres}), a server shared with others: skipped where none answers, except on CI ({@code CI=true}).
 */
@ResourceLock(SharedServers.EXTERNAL)
class PrivilegesOnExternalServerTests extends PrivilegeScenarios {

    private static final Map<String, String> EXTERNAL = RolesOnExternalServerTests.EXTERNAL;

    @RegisterExtension
    static final ExternalPostgres EXTERNAL_SERVER = new ExternalPostgres();

    @Override
    PostgresServer server() {
        return EXTERNAL_SERVER.server();
    }

    @Test
    void anAdminThatIsNoSuperuserGivesTestsItsOwnRoleByDefaultAndRefusesRestrictedWhenAsked() throws SQLException {
        String creator = "ipgtest_creator_" + UUID.randomUUID().toString().substring(0, 8);
        Admin.of(server()).execute("CREATE ROLE " + creator + " LOGIN CREATEDB CREATEROLE");
        Map<String, String> asCreator = new java.util.HashMap<>(EXTERNAL);
        asCreator.put(ConfigKeys.SERVER_USER, creator);
        // A template of its own: one a superuser built is not this admin's to record the use of.
        TemplateSpec spec = TemplateSpec.builder()
                .flyway(List.of("classpath:db/pooltest"))
                .flywayPlaceholders(Map.of("run", creator))
                .origin(ConfigKeys.FLYWAY_LOCATIONS, "test")
                .build();
        try (PostgresServer asAdmin = PostgresServer.start(settings(asCreator).serverSettings())) {
            try (TestDatabasePool pool = TestDatabasePool.open(
                            asAdmin, spec, settings(Map.of()).poolSettings());
                    TestDatabase db = pool.lease()) {
                assertThat(db.username()).isEqualTo(creator);
            }
            InvalidConfigurationException refused = catchThrowableOfType(
                    InvalidConfigurationException.class,
                    () -> TestDatabasePool.open(
                                    asAdmin,
                                    spec,
                                    settings(Map.of(ConfigKeys.DATASOURCE_PRIVILEGES, "restricted"))
                                            .poolSettings())
                            .close());
            assertThat(refused)
                    .hasMessageStartingWith("Invalid value for 'isolatedpg.datasource.privileges' = ")
                    .hasMessageContaining("restricted privileges need an admin role that is a superuser, and the"
                            + " admin role of external PostgreSQL 15")
                    .hasMessageEndingWith("is not one. Connect as a superuser, or set it to admin.");
        } finally {
            for (String template : Admin.of(server())
                    .strings("SELECT datname FROM pg_database d JOIN pg_roles r"
                            + " ON r.oid = d.datdba WHERE r.rolname = '" + creator + "'")) {
                Admin.of(server()).execute("ALTER DATABASE " + template + " IS_TEMPLATE false");
                Admin.of(server()).execute("DROP DATABASE " + template);
            }
            Admin.of(server()).execute("DROP ROLE " + creator);
        }
    }

    private static Configuration settings(Map<String, String> values) {
        return Configuration.from(List.of(ConfigSource.of("test", values)));
    }
}
