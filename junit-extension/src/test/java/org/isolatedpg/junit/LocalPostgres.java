package org.isolatedpg.junit;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.isolatedpg.core.ConfigKeys;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's own PostgreSQL on 127.0.0.1:5432 (trust authentication), for the external-server tests. Where none
 * answers they are skipped with that reason — except on CI ({@code CI=true}), where the server must be there and its
 * absence fails them.
 */
final class LocalPostgres {

    static final String URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    static final String SUPERUSER = "postgres";

    /** Set to {@code external} to run the extension tests against this server instead of the embedded one. */
    static final String SERVER_PROPERTY = "isolatedpg.test.server";

    private LocalPostgres() {}

    static boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static void assumeAvailable() {
        Assumptions.assumeTrue(
                answers() || "true".equals(System.getenv("CI")),
                "no PostgreSQL answers on 127.0.0.1:5432 (CI=true makes this a failure)");
    }

    /** Configuration parameters that point isolated-postgres at this server. */
    static Map<String, String> configuration() {
        return Map.of(
                ConfigKeys.SERVER_MODE, "external", ConfigKeys.SERVER_URL, URL, ConfigKeys.SERVER_USER, SUPERUSER);
    }

    static boolean selectedForExtensionTests() {
        return "external".equals(System.getProperty(SERVER_PROPERTY));
    }

    /**
     * Drops templates a test built for itself (their fingerprints are unique to the run, so nothing reuses them) —
     * each only if no pool uses it, as the collector does.
     */
    static void dropOwnTemplates(java.util.Collection<String> templates) throws SQLException {
        try (Connection connection = connect();
                java.sql.Statement statement = connection.createStatement()) {
            for (String template : templates) {
                int key = ServerLocks.key(template.substring("ipg_tpl_".length()));
                try (java.sql.ResultSet claimed = statement.executeQuery(
                        "SELECT pg_try_advisory_lock(" + ServerLocks.TEMPLATE_USERS + ", " + key + ")")) {
                    claimed.next();
                    if (!claimed.getBoolean(1)) {
                        continue;
                    }
                }
                statement.execute("ALTER DATABASE " + template + " WITH IS_TEMPLATE false");
                statement.execute("DROP DATABASE " + template);
                statement.execute("SELECT pg_advisory_unlock(" + ServerLocks.TEMPLATE_USERS + ", " + key + ")");
            }
        }
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, SUPERUSER, "");
    }
}
