package org.isolatedpg.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The benchmark's schemas, written as Flyway migrations: small (30 tables, 600 rows) and medium (300 tables, ~50 MB). */
final class Schemas {

    private Schemas() {}

    static Path small(Path target) throws IOException {
        return write(target.resolve("schema-small"), 30, 20, 20);
    }

    static Path medium(Path target) throws IOException {
        return write(target.resolve("schema-medium"), 300, 1100, 120);
    }

    private static Path write(Path directory, int tables, int rowsPerTable, int textLength) throws IOException {
        Files.createDirectories(directory);
        StringBuilder schema = new StringBuilder(
                "CREATE TABLE marker (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner text NOT NULL);\n");
        StringBuilder seed = new StringBuilder();
        for (int t = 1; t <= tables; t++) {
            schema.append("CREATE TABLE t")
                    .append(t)
                    .append(" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,")
                    .append(" parent bigint")
                    .append(t > 1 ? " REFERENCES t" + (t - 1) + " (id)" : "")
                    .append(
                            ", name text NOT NULL, amount numeric(12, 2), created timestamptz NOT NULL DEFAULT now());\n")
                    .append("CREATE INDEX t")
                    .append(t)
                    .append("_name ON t")
                    .append(t)
                    .append(" (name);\n");
            seed.append("INSERT INTO t")
                    .append(t)
                    .append(" (name, amount) SELECT 'row ' || g || ' ' || repeat('x', ")
                    .append(textLength)
                    .append("), g FROM generate_series(1, ")
                    .append(rowsPerTable)
                    .append(") g;\n");
        }
        Files.writeString(directory.resolve("V1__tables.sql"), schema);
        Files.writeString(directory.resolve("V2__seed.sql"), seed);
        return directory;
    }
}
