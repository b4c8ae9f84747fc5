package org.isolatedpg.faults;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.core.TestDatabasePool;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The JVM that {@link ChildJvm} starts, configured by {@code isolatedpg.*} system properties.
 *
 * <ul>
 *   <li>{@code lease <location>}: leases two clones, the pool keeping more ready, and reports {@code LEASED a b}.
 *   <li>{@code build <location> <run>}: builds a template (placeholder {@code run} makes it unique).
 *   <li>{@code server}: only attaches to the server.
 *   <li>{@code junit <class>}: runs a fixture class through the JUnit launcher, as a Surefire fork does.
 * </ul>
 *
 * <p>It then obeys its standard input: {@code exit} is {@code System.exit(3)}, {@code halt} is
 * {@code Runtime.halt(137)}; at the end of input it releases everything and exits normally.
 */
public final class ChildMain {

    private ChildMain() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("junit")) {
            runJUnit(args[1]);
            return;
        }
        Configuration configuration = Configuration.from(List.of(ConfigSource.systemProperties()));
        try (PostgresServer server = PostgresServer.start(configuration.serverSettings())) {
            report("OWNER " + server.owner());
            if (args[0].equals("server")) {
                report("ATTACHED");
                obey();
                return;
            }
            TemplateSpec spec = args[0].equals("build")
                    ? TemplateSpec.builder()
                            .flyway(List.of(args[1]))
                            .flywayPlaceholders(Map.of("run", args[2]))
                            .origin(ConfigKeys.FLYWAY_LOCATIONS, "child")
                            .build()
                    : TemplateSpec.of(args[1]);
            try (TestDatabasePool pool = TestDatabasePool.open(server, spec, configuration.poolSettings());
                    TestDatabase first = pool.lease();
                    TestDatabase second = pool.lease()) {
                report("LEASED " + first.name() + " " + second.name());
                obey();
            }
        }
    }

    /** Runs the class in a launcher session, whose end closes the extension's server and pools. */
    private static void runJUnit(String className) {
        try (LauncherSession session = LauncherFactory.openSession()) {
            session.getLauncher()
                    .execute(LauncherDiscoveryRequestBuilder.request()
                            .selectors(DiscoverySelectors.selectClass(className))
                            .build());
        }
        report("CLOSED");
    }

    /** Obeys the commands on standard input until it ends. */
    static void obey() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = in.readLine()) != null) {
            switch (command) {
                case "exit" -> System.exit(3);
                case "halt" -> Runtime.getRuntime().halt(137);
                default -> report("UNKNOWN " + command);
            }
        }
    }

    static void report(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
