package org.isolatedpg.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/** The JVM {@link QuietRunTests} reads: thirty tests through the JUnit Platform launcher, then a summary line. */
public final class QuietRunMain {

    private QuietRunMain() {}

    public static void main(String[] args) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create()
                .execute(
                        LauncherDiscoveryRequestBuilder.request()
                                .selectors(selectClass(ThirtyTests.class))
                                .configurationParameters(
                                        Map.of("junit.jupiter.extensions.autodetection.enabled", "false"))
                                .build(),
                        listener);
        System.out.println("TESTS " + listener.getSummary().getTestsFoundCount() + " SUCCEEDED "
                + listener.getSummary().getTestsSucceededCount());
    }

    @IsolatedPostgres(migrations = "db/library")
    static class ThirtyTests {

        @RepeatedTest(30)
        void writes(DataSource dataSource) throws SQLException {
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE scratch (id int)");
            }
        }
    }
}
