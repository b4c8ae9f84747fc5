package org.isolatedpg.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTests {

    @Test
    void thePasswordAppearsInNoDescriptionUrlOrMessage() {
        try (PostgresServer server =
                PostgresServer.start(Configuration.fromSystem().serverSettings())) {
            PoolSettings settings = Configuration.from(List.of(ConfigSource.of(
                            "test", Map.of(ConfigKeys.POOL_SIZE, "1", ConfigKeys.POOL_ACQUIRE_TIMEOUT, "10s"))))
                    .poolSettings();
            Throwable buildFailure = catchThrowable(() -> TestDatabasePool.open(
                    server, new TemplateSpec(List.of("classpath:db/broken"), Map.of(), "test"), settings));
            try (TestDatabasePool pool =
                            TestDatabasePool.open(server, TemplateSpec.of("classpath:db/pooltest"), settings);
                    TestDatabase db = pool.lease()) {
                String password = db.password();
                assertThat(password).hasSizeGreaterThanOrEqualTo(24);

                assertThat(List.of(
                                server.description(),
                                server.toString(),
                                server.jdbcUrl("postgres"),
                                db.jdbcUrl(),
                                db.toString(),
                                pool.snapshot(),
                                pool.statistics().toString(),
                                stackTrace(buildFailure)))
                        .noneMatch(text -> text.contains(password));
            }
        }
    }

    /** Every message of the failure and its causes, as a test report shows them. */
    private static String stackTrace(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }
}
