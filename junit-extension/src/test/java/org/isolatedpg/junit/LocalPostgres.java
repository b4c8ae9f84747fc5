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

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, SUPERUSER, "");
    }
}
