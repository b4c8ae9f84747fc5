package org.isolatedpg.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs fixture classes on the Jupiter engine, with only the configuration parameters given. */
final class IsolatedPostgresTestKit {

    private IsolatedPostgresTestKit() {}

    /**
     * Runs the fixtures on the server the suite runs against: the embedded one, or — with the system property
     * {@value LocalPostgres#SERVER_PROPERTY} = {@code external} — the machine's PostgreSQL, so that every extension
     * test runs unchanged on both.
     */
    static EngineExecutionResults execute(Map<String, String> configuration, Class<?>... testClasses) {
        Map<String, String> parameters = new java.util.HashMap<>();
        if (LocalPostgres.selectedForExtensionTests()) {
            LocalPostgres.assumeAvailable();
            parameters.putAll(LocalPostgres.configuration());
        }
        parameters.putAll(configuration);
        var request = EngineTestKit.engine("junit-jupiter")
                .enableImplicitConfigurationParameters(false)
                .configurationParameters(parameters);
        for (Class<?> testClass : testClasses) {
            request.selectors(selectClass(testClass));
        }
        return request.execute();
    }

    static EngineExecutionResults execute(Class<?>... testClasses) {
        return execute(Map.of(), testClasses);
    }

    /** The exceptions of the failed tests (or containers) among the events. */
    static List<Throwable> failures(List<Event> failedEvents) {
        return failedEvents.stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class)
                        .getThrowable()
                        .orElseThrow())
                .toList();
    }

    /** The name of the database a data source is connected to. */
    static String databaseName(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return databaseName(connection);
        }
    }

    static String databaseName(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_database()")) {
            rows.next();
            return rows.getString(1);
        }
    }
}
