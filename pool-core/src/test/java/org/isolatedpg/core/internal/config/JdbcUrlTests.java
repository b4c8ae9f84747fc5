package org.isolatedpg.core.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.SharedServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@ResourceLock(SharedServers.EXTERNAL)
class JdbcUrlTests {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "jdbc:postgresql://db:6543/main?password=hunter2&sslmode=require&connectTimeout=5",
                "jdbc:postgresql://db:6543/main?sslmode=require&password=hunter2&connectTimeout=5",
                "jdbc:postgresql://db:6543/main?sslmode=require&connectTimeout=5&password=hunter2"
            })
    void takesThePasswordOutWhereverItStandsInTheQueryAndKeepsTheOtherParameters(String text) {
        JdbcUrl url = JdbcUrl.parse(text);

        assertThat(url.password()).contains("hunter2");
        assertThat(url.user()).isEmpty();
        assertThat(url.host()).isEqualTo("db");
        assertThat(url.port()).isEqualTo(6543);
        assertThat(url.database()).isEqualTo("main");
        assertThat(url.withDatabase("ipg_x"))
                .isEqualTo("jdbc:postgresql://db:6543/ipg_x?sslmode=require&connectTimeout=5");
        assertThat(url).hasToString("jdbc:postgresql://db:6543/main?sslmode=require&connectTimeout=5");
        assertThat(JdbcUrl.redact(text))
                .doesNotContain("hunter2")
                .contains("password=<masked>")
                .contains("sslmode=require")
                .contains("connectTimeout=5");
    }

    @Test
    void takesTheUserOutAndLeavesTheApplicationNameToIsolatedPostgres() {
        JdbcUrl url = JdbcUrl.parse("jdbc:postgresql://db/postgres?user=ci&ApplicationName=x&sslmode=disable");

        assertThat(url.user()).contains("ci");
        assertThat(url.password()).isEmpty();
        assertThat(url.port()).isEqualTo(5432);
        assertThat(url.withDatabase("postgres")).isEqualTo("jdbc:postgresql://db:5432/postgres?sslmode=disable");
    }

    @Test
    void decodesUrlEncodedValuesAsTheDriverDoes() {
        String text = "jdbc:postgresql://db:5432/postgres?user=c%C3%AF&password=p%40ss%26w%3Drd%20x";
        JdbcUrl url = JdbcUrl.parse(text);

        assertThat(url.user()).contains("cï");
        assertThat(url.password()).contains("p@ss&w=rd x");
        assertThat(JdbcUrl.parameter(text, "password")).contains("p@ss&w=rd x");
        assertThat(JdbcUrl.redact(text)).isEqualTo("jdbc:postgresql://db:5432/postgres?user=c%C3%AF&password=<masked>");
    }

    @Test
    void readsAUrlWithoutQueryOrDatabase() {
        JdbcUrl url = JdbcUrl.parse("jdbc:postgresql://db:5433/");

        assertThat(url.database()).isEqualTo("postgres");
        assertThat(url.user()).isEmpty();
        assertThat(url.password()).isEmpty();
        assertThat(url.withDatabase("ipg_a")).isEqualTo("jdbc:postgresql://db:5433/ipg_a");
        assertThat(JdbcUrl.redact("jdbc:postgresql://db:5433/")).isEqualTo("jdbc:postgresql://db:5433/");
        assertThat(JdbcUrl.parameter("jdbc:postgresql://db:5433/", "password")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "jdbc:postgresql://db/p?sslpassword=k3y&sslmode=verify-full"
                        + " | jdbc:postgresql://db/p?sslpassword=<masked>&sslmode=verify-full",
                "jdbc:postgresql://ci:hunter2@db/p | jdbc:postgresql://ci:<masked>@db/p",
                "jdbc:postgresql://a,b/p?password=hunter2 | jdbc:postgresql://a,b/p?password=<masked>",
                "postgres://db/p?password=hunter2&x=1 | postgres://db/p?password=<masked>&x=1"
            })
    void redactsSecretsAlsoInUrlsItCannotParse(String text, String printable) {
        assertThat(JdbcUrl.redact(text)).isEqualTo(printable);
    }

    @Test
    void refusesOtherFormsAndBadEncodingsWithoutQuotingTheValue() {
        assertThatThrownBy(() -> JdbcUrl.parse("jdbc:postgresql://ci:hunter2@db/p"))
                .isInstanceOf(IllegalArgumentException.class)
                .message()
                .doesNotContain("hunter2");
        assertThatThrownBy(() -> JdbcUrl.parse("jdbc:postgresql://db/p?password=hunter2%zz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the value of parameter password is not URL-encoded correctly")
                .hasNoCause();
    }

    @Test
    void printsConfigurationValuesWithoutSecrets() {
        assertThat(Secrets.printable(ConfigKeys.SERVER_PASSWORD, "hunter2")).isEqualTo("<masked>");
        assertThat(Secrets.printable("PGPASSWORD", "hunter2")).isEqualTo("<masked>");
        assertThat(Secrets.printable(ConfigKeys.SERVER_URL, "jdbc:postgresql://db/p?password=hunter2"))
                .isEqualTo("jdbc:postgresql://db/p?password=<masked>");
        assertThat(Secrets.printable(ConfigKeys.FLYWAY_PLACEHOLDERS, "schema=app, token=hunter2,bad"))
                .isEqualTo("schema=<masked>, token=<masked>,bad");
        assertThat(Secrets.printable(ConfigKeys.FLYWAY_PLACEHOLDERS, Map.of("token", "hunter2", "schema", "app")))
                .isEqualTo("[schema, token]");
        assertThat(Secrets.printable(ConfigKeys.EMBEDDED_SETTINGS, "work_mem=8MB,ssl_passphrase_command=echo x"))
                .isEqualTo("work_mem=8MB,ssl_passphrase_command=<masked>");
        assertThat(Secrets.printable(ConfigKeys.POOL_SIZE, 4)).isEqualTo("4");
    }
}
