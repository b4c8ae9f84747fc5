package org.isolatedpg.core.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class PasswordLiteralsTests {

    @Test
    void redactsEveryPasswordLiteralWithItsDoubledQuotes() {
        assertThat(PasswordLiterals.redact(
                        "Where: SQL statement \"CREATE USER a ENCRYPTED PASSWORD 'it''s secret' LOGIN\"; alter role b"
                                + " with password  'other'"))
                .isEqualTo("Where: SQL statement \"CREATE USER a ENCRYPTED PASSWORD '<redacted>' LOGIN\"; alter role b"
                        + " with password  '<redacted>'");
    }

    @Test
    void keepsAFailureWithoutPasswordsAsItIsAndReplacesOneWithARedactedCopyOfItsSqlException() {
        RuntimeException plain = new RuntimeException("wrapped", new SQLException("ERROR: syntax error", "42601"));
        assertThat(PasswordLiterals.scrub(plain)).isSameAs(plain);

        RuntimeException secret = new RuntimeException(
                "Statement : CREATE USER a PASSWORD 'hunter2'",
                new SQLException("ERROR: role \"a\" already exists", "42710", 7));
        Throwable scrubbed = PasswordLiterals.scrub(secret);
        assertThat(scrubbed)
                .isInstanceOf(SQLException.class)
                .hasMessage("ERROR: role \"a\" already exists")
                .hasNoCause();
        assertThat(((SQLException) scrubbed).getSQLState()).isEqualTo("42710");
    }
}
