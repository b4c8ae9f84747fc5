package org.isolatedpg.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The trivial test every variant runs: one insert and one select. */
final class Work {

    private Work() {}

    static void insertAndSelect(Connection connection, String owner) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO marker (owner) VALUES (?)")) {
            insert.setString(1, owner);
            insert.executeUpdate();
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM marker WHERE owner = ?")) {
            select.setString(1, owner);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                if (rows.getInt(1) != 1) {
                    throw new IllegalStateException("The test saw another test's row");
                }
            }
        }
    }
}
