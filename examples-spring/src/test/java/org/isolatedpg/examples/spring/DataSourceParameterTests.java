package org.isolatedpg.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.examples.spring.customers.Customer;
import org.isolatedpg.examples.spring.customers.CustomerRepository;
import org.isolatedpg.examples.spring.customers.Customers;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A test can take the {@code DataSource} (or {@code TestDatabase}) parameter of plain {@code @IsolatedPostgres} tests
 * next to the application's beans: it is the same database the beans see during that test.
 */
@SpringBootTest
@IsolatedPostgres
class DataSourceParameterTests {

    @Autowired
    Customers customers;

    @Autowired
    CustomerRepository customerRepository;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource applicationDataSource;

    @Test
    void theParameterSeesWhatTheRepositoriesWrote(DataSource dataSource) throws SQLException {
        customers.register("Ada Lovelace", "ada@example.org");
        customers.register("Grace Hopper", "grace@example.org");

        assertThat(emails(dataSource)).containsExactly("ada@example.org", "grace@example.org");
    }

    @Test
    void theRepositoriesSeeWhatTheParameterWrote(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO customer (id, name, email, created_at)
                        VALUES (nextval('customer_id_seq'), ?, ?, now())""")) {
            insert.setString(1, "Barbara Liskov");
            insert.setString(2, "barbara@example.org");
            insert.executeUpdate();
        }

        assertThat(customerRepository.findByEmailIgnoreCase("Barbara@example.org"))
                .get()
                .extracting(Customer::getName)
                .isEqualTo("Barbara Liskov");
    }

    @Test
    void theApplicationsDataSourceIsOnTheTestsDatabase(TestDatabase database) throws SQLException {
        assertThat(jdbc.sql("SELECT current_database()").query(String.class).single())
                .isEqualTo(database.name());
        try (Connection connection = applicationDataSource.getConnection()) {
            assertThat(connection.getCatalog()).isEqualTo(database.name());
        }
    }

    private static List<String> emails(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT email FROM customer ORDER BY email");
                ResultSet rows = query.executeQuery()) {
            List<String> emails = new ArrayList<>();
            while (rows.next()) {
                emails.add(rows.getString(1));
            }
            return emails;
        }
    }
}
