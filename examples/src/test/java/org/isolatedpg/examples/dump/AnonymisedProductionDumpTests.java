package org.isolatedpg.examples.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.isolatedpg.examples.Sql.column;
import static org.isolatedpg.examples.Sql.number;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.isolatedpg.examples.Sql;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.Test;

/**
 * Tests on a copy of a production database: a plain-format {@code pg_dump} (made by
 * {@code dump/source/make-production-dump.sh}) loaded into the template, then anonymised by a script, once. Every
 * test's clone holds the anonymised data only. The dump's owners and grants name roles of the production server,
 * which the test server does not have: they are skipped, as {@code pg_restore --no-owner --no-privileges} would.
 */
// tag::dump[]
@IsolatedPostgres(scripts = {"dump/production.sql", "dump/anonymise.sql"})
class AnonymisedProductionDumpTests {

    @Test
    void noEmailAddressFromProductionReachesATest(DataSource dataSource) throws Exception {
        assertThat(column(dataSource, "SELECT email FROM customer"))
                .hasSize(240)
                .allMatch(email -> email.matches("customer\\d+@example\\.com"))
                .doesNotContainAnyElementsOf(productionEmailAddresses());
    }

    @Test
    void ordersAndReportsAreIntact(DataSource dataSource) throws SQLException {
        assertThat(number(dataSource, "SELECT count(*) FROM customer_order")).isEqualTo(720);
        assertThat(number(dataSource, "SELECT bags_sold('Yirgacheffe')")).isEqualTo(1200);
    }
    // end::dump[]

    @Test
    void namesPhoneNumbersNotesAndStreetsAreReplaced(DataSource dataSource) throws SQLException {
        assertThat(number(dataSource, "SELECT count(*) FROM customer WHERE name !~ '^Customer [0-9]+$'"))
                .isZero();
        assertThat(column(dataSource, "SELECT DISTINCT phone FROM customer WHERE phone IS NOT NULL"))
                .containsExactly("+44 7700 900000");
        assertThat(number(dataSource, "SELECT count(*) FROM customer WHERE phone IS NULL"))
                .as("customers who gave no phone number")
                .isEqualTo(48);
        assertThat(number(dataSource, "SELECT count(*) FROM customer WHERE note IS NOT NULL"))
                .isZero();
        assertThat(number(
                        dataSource,
                        "SELECT count(*) FROM customer_order WHERE delivery_street NOT LIKE '% Example Street'"))
                .isZero();
    }

    @Test
    void whatIsNotPersonalDataIsKept(DataSource dataSource) throws SQLException {
        assertThat(number(dataSource, "SELECT count(*) FROM order_line")).isEqualTo(1440);
        assertThat(column(dataSource, "SELECT DISTINCT delivery_city FROM customer_order ORDER BY 1"))
                .containsExactly("Bristol", "Cardiff", "Glasgow", "Leeds", "Norwich", "York");
        assertThat(column(
                        dataSource,
                        "SELECT orders || ' orders, ' || spent_cents FROM customer_spend WHERE customer_id = 2"))
                .containsExactly("3 orders, 20400");
    }

    @Test
    void newRowsContinueTheDumpsSequences(DataSource dataSource) throws SQLException {
        assertThat(number(
                        dataSource,
                        "INSERT INTO customer (name, email, created_at) VALUES ('New', 'new@example.com', now())"
                                + " RETURNING id"))
                .isEqualTo(241);
    }

    @Test
    void constraintsFromTheDumpHold(DataSource dataSource) {
        assertThatExceptionOfType(SQLException.class)
                .isThrownBy(() -> Sql.update(
                        dataSource,
                        "INSERT INTO customer (name, email, created_at)"
                                + " SELECT 'Twin', upper(email), now() FROM customer WHERE id = 1"))
                .satisfies(failure -> assertThat(failure.getSQLState()).isEqualTo("23505"));
    }

    @Test
    void ownersAndGrantsOfProductionRolesWereSkipped(DataSource dataSource) throws SQLException {
        assertThat(number(dataSource, "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'roastery%'"))
                .isZero();
        // The test's own role owns the tables, as it owns everything in its clone.
        assertThat(column(dataSource, "SELECT has_table_privilege('customer', 'UPDATE')::text"))
                .containsExactly("true");
    }

    /** The e-mail addresses in the production dump, read from the file. */
    private static List<String> productionEmailAddresses() throws IOException {
        try (InputStream dump = Objects.requireNonNull(
                AnonymisedProductionDumpTests.class.getResourceAsStream("/dump/production.sql"))) {
            List<String> addresses = Pattern.compile("[\\w.]+@\\w+\\.test")
                    .matcher(new String(dump.readAllBytes(), StandardCharsets.UTF_8))
                    .results()
                    .map(MatchResult::group)
                    .toList();
            assertThat(addresses).as("e-mail addresses in the dump").hasSize(240);
            return addresses;
        }
    }
}
