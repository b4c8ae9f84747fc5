package org.isolatedpg.junit;

import java.nio.file.Path;
import java.util.List;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.core.TestDatabasePool;

/**
 * The JVM {@link CrashTests} kill: {@code <mode> <data directory> lease} leases two clones and waits;
 * {@code … build <run>} builds a slow template. It reports on standard output and exits when its standard input closes.
 */
public final class ChildMain {

    private ChildMain() {}

    public static void main(String[] args) throws Exception {
        Configuration configuration = Configuration.from(
                List.of(ConfigSource.of("child", CrashTests.configurationValues(args[0], Path.of(args[1])))));
        try (PostgresServer server = PostgresServer.start(configuration.serverSettings())) {
            report("OWNER " + server.owner());
            TemplateSpec spec =
                    args[2].equals("build") ? CrashTests.slowSpec(args[3]) : TemplateSpec.of("classpath:db/library");
            try (TestDatabasePool pool = TestDatabasePool.open(server, spec, configuration.poolSettings());
                    TestDatabase first = pool.lease();
                    TestDatabase second = pool.lease()) {
                report("LEASED " + first.name() + " " + second.name());
                while (System.in.read() >= 0) {
                    // hold the leases until told to go
                }
            }
        }
    }

    private static void report(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
