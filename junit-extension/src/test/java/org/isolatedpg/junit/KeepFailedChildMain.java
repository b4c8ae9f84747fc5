package org.isolatedpg.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.HashMap;
import java.util.Map;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A run in a JVM of its own, for {@link KeepFailedTests}: {@code <fixture class> <key=value>…} runs the fixture with
 * those configuration parameters, prints {@code DATABASE <test method> <database>} for each test's database and
 * {@code TESTS <statistics>}, and exits. Its log goes to standard error, where the test reads it.
 */
public final class KeepFailedChildMain {

    private KeepFailedChildMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> configuration = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            configuration.put(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .enableImplicitConfigurationParameters(false)
                .configurationParameters(configuration)
                .selectors(selectClass(Class.forName(args[0])))
                .execute();
        KeepFailedTests.databases(results)
                .forEach((test, database) -> System.out.println("DATABASE " + test + " " + database));
        System.out.println("TESTS " + results.testEvents().count() + " events, "
                + results.testEvents().failed().count() + " failed");
        System.out.flush();
    }
}
