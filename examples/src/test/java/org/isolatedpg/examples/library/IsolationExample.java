package org.isolatedpg.examples.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.isolatedpg.examples.library.SeedData.JAVA_CONCURRENCY_IN_PRACTICE;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Tests that wreck their database cannot hurt each other, whatever order they run in and however many at once. */
@IsolatedPostgres
class IsolationExample {

    private static final Set<String> DATABASES_SEEN = ConcurrentHashMap.newKeySet();

    // tag::isolation[]
    @Test
    void aTestMayWreckItsDatabase(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE member, book, author CASCADE");
            statement.execute("DROP VIEW overdue_loans");
        }

        assertThat(new MemberRepository(dataSource).findAll()).isEmpty();
    }

    @Test
    void everyOtherTestStillGetsTheSeedData(DataSource dataSource) {
        assertThat(new MemberRepository(dataSource).findAll()).hasSize(4);
        assertThat(new LoanService(dataSource).overdueLoans())
                .singleElement()
                .satisfies(loan -> assertThat(loan.memberName()).isEqualTo("Grace Hopper"));
    }
    // end::isolation[]

    // tag::test-database[]
    @RepeatedTest(3)
    void everyTestGetsADatabaseOfItsOwn(TestDatabase database) throws SQLException {
        assertThat(DATABASES_SEEN.add(database.name())).isTrue();

        // Anything that wants a URL (an application under test, a migration tool, a second driver) can connect too.
        try (Connection connection =
                        DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_database()")) {
            row.next();
            assertThat(row.getString(1)).isEqualTo(database.name());
        }
    }
    // end::test-database[]

    @Test
    void parametersOfOneTestShareItsDatabase(DataSource dataSource, TestDatabase database) {
        new BookRepository(database.dataSource()).addCopies(JAVA_CONCURRENCY_IN_PRACTICE, 1);

        assertThat(new BookRepository(dataSource).availableCopies(JAVA_CONCURRENCY_IN_PRACTICE))
                .isEqualTo(1);
    }
}
