package org.isolatedpg.core.internal.script;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What the shop database the committed dumps were made from holds (scripts/dumps/expected.txt, written by
 * make-dumps.sh), and the same figures from a database a dump was loaded into (scripts/source/checksums.sql).
 */
final class DumpChecks {

    static final String PG15_DUMP = "classpath:scripts/dumps/shop-pg15.sql";
    static final String PG18_DUMP = "classpath:scripts/dumps/shop-pg18.sql";

    private DumpChecks() {}

    /** One line per table (rows, MD5 of the rows) and per sequence (its value), as in the source database. */
    static List<String> expected() {
        return resource("scripts/dumps/expected.txt").lines().toList();
    }

    /** The same lines from the database the connection is on. */
    static List<String> actual(Connection connection) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            statement.execute("SET DateStyle = 'ISO'");
            try (ResultSet rows = statement.executeQuery(resource("scripts/source/checksums.sql"))) {
                while (rows.next()) {
                    lines.add(rows.getString(1));
                }
            }
        }
        return lines;
    }

    static String resource(String path) {
        try (InputStream in = DumpChecks.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("No test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
