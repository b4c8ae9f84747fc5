package org.isolatedpg.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.PoolSettings;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabasePool;

/**
 * A project's 300 migrations plus one new one: the template of all 301 built in full, against built incrementally on
 * the template of the first 300. Each round uses placeholders of its own, so nothing is reused from an earlier round
 * or run; the full and the incremental build run the very same 301 files.
 */
final class IncrementalBuild {

    private static final int MIGRATIONS = 300;

    /** Median milliseconds of each kind of build over the rounds. */
    record Result(double fullMillis, double incrementalMillis, double baseMillis) {}

    private IncrementalBuild() {}

    static Result measure(PostgresServer server, Path target, int rounds) throws IOException {
        Path older = migrations(target.resolve("incremental-300"), MIGRATIONS);
        Path newer = migrations(target.resolve("incremental-301"), MIGRATIONS + 1);
        List<Double> full = new ArrayList<>();
        List<Double> incremental = new ArrayList<>();
        List<Double> base = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            String run = UUID.randomUUID().toString();
            try (TestDatabasePool first = TestDatabasePool.open(server, spec(older, run), settings());
                    TestDatabasePool second = TestDatabasePool.open(server, spec(newer, run), settings());
                    TestDatabasePool fromNothing = TestDatabasePool.open(
                            server, spec(newer, UUID.randomUUID().toString()), settings())) {
                check(!second.statistics().templateBuiltFrom().isEmpty(), "the 301 were not built incrementally");
                check(fromNothing.statistics().templateBuiltFrom().isEmpty(), "the full build was incremental");
                base.add((double) first.statistics().templateMillis());
                incremental.add((double) second.statistics().templateMillis());
                full.add((double) fromNothing.statistics().templateMillis());
            }
        }
        return new Result(median(full), median(incremental), median(base));
    }

    /** {@code count} migrations, each a table with an index, a foreign key to the one before and 20 rows. */
    private static Path migrations(Path directory, int count) throws IOException {
        Files.createDirectories(directory);
        for (int i = 1; i <= count; i++) {
            String table = "t" + i;
            Files.writeString(
                    directory.resolve("V" + i + "__create_" + table + ".sql"),
                    "CREATE TABLE " + table + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, parent bigint"
                            + (i > 1 ? " REFERENCES t" + (i - 1) + " (id)" : "") + ", name text NOT NULL);\n"
                            + "CREATE INDEX " + table + "_name ON " + table + " (name);\n"
                            + "INSERT INTO " + table + " (name) SELECT 'row ' || g FROM generate_series(1, 20) g;\n");
        }
        return directory;
    }

    private static TemplateSpec spec(Path location, String run) {
        return TemplateSpec.builder()
                .flyway("filesystem:" + location)
                .flywayPlaceholders(Map.of("run", run))
                .build();
    }

    private static PoolSettings settings() {
        return Configuration.from(List.of(ConfigSource.of("benchmark", Map.of(ConfigKeys.POOL_SIZE, "1"))))
                .poolSettings();
    }

    private static void check(boolean condition, String failure) {
        if (!condition) {
            throw new IllegalStateException(failure);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Runs this measurement alone: {@code <target directory>}. */
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : "target");
        try (PostgresServer server =
                PostgresServer.start(Configuration.fromSystem().serverSettings())) {
            Result result = measure(server, target, 3);
            System.out.printf(
                    "%d migrations: %.0f ms; %d migrations in full: %.0f ms; incrementally on the %d: %.0f ms (%.1fx"
                            + " faster)%n",
                    MIGRATIONS,
                    result.baseMillis(),
                    MIGRATIONS + 1,
                    result.fullMillis(),
                    MIGRATIONS,
                    result.incrementalMillis(),
                    result.fullMillis() / result.incrementalMillis());
        }
    }
}
