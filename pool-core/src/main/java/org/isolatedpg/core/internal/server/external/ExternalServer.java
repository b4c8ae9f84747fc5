package org.isolatedpg.core.internal.server.external;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.ServerSettings;
import org.isolatedpg.core.Setting;
import org.isolatedpg.core.internal.config.JdbcUrl;
import org.isolatedpg.core.internal.server.ManualAccess;
import org.isolatedpg.core.internal.server.Server;

/**
 * An existing PostgreSQL server (13 or newer), reached through a JDBC URL of a maintenance database. The admin role
 * must be a superuser or have CREATEDB; isolated-postgres only ever creates, alters and drops databases named
 * {@code ipg_…}. Closing it leaves the server running.
 *
 * <p>A {@code user} or {@code password} in the URL's query is a credential: it is passed as a connection property,
 * never in a URL this class builds or prints; the configured user and password win over it.
 */
public final class ExternalServer implements Server {

    private static final int OLDEST_SUPPORTED = 13;

    private final JdbcUrl url;
    private final String user;
    private final String password;
    private String version = "?";

    private ExternalServer(JdbcUrl url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public static Server connect(ServerSettings settings) {
        Setting<String> url = settings.url();
        if (url.value().isEmpty()) {
            throw new InvalidConfigurationException("The external server needs '" + ConfigKeys.SERVER_URL
                    + "' (jdbc:postgresql://host:5432/postgres) or the PGHOST environment variable, and neither is"
                    + " set. Set one, or use '" + ConfigKeys.SERVER_MODE + "' = embedded.");
        }
        JdbcUrl parsed;
        try {
            parsed = JdbcUrl.parse(url.value());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(
                    "Invalid value '" + JdbcUrl.redact(url.value()) + "' for '" + url.key() + "' (from "
                            + url.source() + "): expected one host, such as"
                            + " jdbc:postgresql://localhost:5432/postgres.",
                    e);
        }
        // Configuration has already applied the precedence; these only matter for settings built by hand.
        String user = settings.user().source().equals("default")
                ? parsed.user().orElse(settings.user().value())
                : settings.user().value();
        String password = settings.password().isEmpty() ? parsed.password().orElse("") : settings.password();
        ExternalServer server = new ExternalServer(parsed, user, password);
        server.checkRights(settings);
        return server;
    }

    /** Fails early, and says how to fix it, when the server is too old or the role may not create databases. */
    private void checkRights(ServerSettings settings) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(maintenanceDatabase()), credentials());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_setting('server_version_num')::int,"
                        + " current_setting('server_version'), rolsuper, rolcreatedb"
                        + " FROM pg_roles WHERE rolname = current_user")) {
            rows.next();
            version = rows.getString(2);
            if (rows.getInt(1) / 10000 < OLDEST_SUPPORTED) {
                throw new IsolatedPostgresException("isolated-postgres needs PostgreSQL " + OLDEST_SUPPORTED
                        + " or newer; " + description() + " runs " + version + ".");
            }
            if (!rows.getBoolean(3) && !rows.getBoolean(4)) {
                throw new IsolatedPostgresException("The role '" + user + "' on " + description()
                        + " may not create databases: it has neither SUPERUSER nor CREATEDB. Grant it with ALTER ROLE "
                        + user + " CREATEDB, or set '" + ConfigKeys.SERVER_USER + "' to a role that may.");
            }
        } catch (SQLException e) {
            throw new IsolatedPostgresException(
                    "Could not connect to the external PostgreSQL server " + jdbcUrl(maintenanceDatabase()) + " as '"
                            + user + "' (URL from " + settings.url().source() + ", user from "
                            + settings.user().source() + "): " + e.getMessage()
                            + "\nCheck that the server runs and accepts this role, or set '" + ConfigKeys.SERVER_URL
                            + "', '" + ConfigKeys.SERVER_USER + "' and '" + ConfigKeys.SERVER_PASSWORD + "'.",
                    e);
        }
    }

    private Properties credentials() {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (!password.isEmpty()) {
            properties.setProperty("password", password);
        }
        // The check must not hang on a server that does not answer: reaching it, logging in and its one query are
        // bounded.
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("loginTimeout", "10");
        properties.setProperty("socketTimeout", "30");
        return properties;
    }

    @Override
    public String host() {
        return url.host();
    }

    @Override
    public int port() {
        return url.port();
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public String maintenanceDatabase() {
        return url.database();
    }

    /** With the URL's parameters, without its credentials. */
    @Override
    public String jdbcUrl(String database) {
        return url.withDatabase(database);
    }

    @Override
    public String description() {
        return "external PostgreSQL " + version + " on " + host() + ":" + port();
    }

    /** The password is the user's own: configured, or none (trust, or psql's {@code ~/.pgpass}). */
    @Override
    public Optional<ManualAccess> manualAccess() {
        return Optional.of(new ManualAccess(
                null,
                password.isEmpty()
                        ? "no password configured"
                        : "the password configured ('" + ConfigKeys.SERVER_PASSWORD + "', the URL's password"
                                + " parameter or PGPASSWORD)",
                ""));
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
