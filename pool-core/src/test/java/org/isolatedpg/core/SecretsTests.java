package org.isolatedpg.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * No password and no Flyway placeholder value appears in a URL, {@code toString()}, message or log line — also with
 * every logger at DEBUG and the server logging every statement and connection (fault-matrix row 19).
 */
@ResourceLock(SharedServers.EMBEDDED_DEFAULT)
@ResourceLock(SharedServers.EXTERNAL)
class SecretsTests {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    @TempDir
    Path dataDirectory;

    @Test
    void thePasswordAppearsInNoDescriptionUrlOrMessage() {
        try (PostgresServer server =
                PostgresServer.start(Configuration.fromSystem().serverSettings())) {
            PoolSettings settings = Configuration.from(List.of(ConfigSource.of(
                            "test", Map.of(ConfigKeys.POOL_SIZE, "1", ConfigKeys.POOL_ACQUIRE_TIMEOUT, "30s"))))
                    .poolSettings();
            Throwable buildFailure = catchThrowable(() -> TestDatabasePool.open(
                    server,
                    TemplateSpec.builder()
                            .flyway(List.of("classpath:db/broken"))
                            .flywayPlaceholders(Map.of())
                            .origin(ConfigKeys.FLYWAY_LOCATIONS, "test")
                            .build(),
                    settings));
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
                                SecretsChildMain.messages(buildFailure)))
                        .noneMatch(text -> text.contains(password));
            }
        }
    }

    @Test
    void settingsShowAPasswordInTheUrlMaskedAndTakeItAsTheCredential() {
        Configuration configuration = Configuration.from(List.of(ConfigSource.of(
                "test",
                Map.of(
                        ConfigKeys.SERVER_URL,
                        "jdbc:postgresql://db:5432/postgres?user=ci&password=hunter2&sslmode=require"))));

        ServerSettings settings = configuration.serverSettings();

        assertThat(settings.password()).isEqualTo("hunter2");
        assertThat(settings.user().value()).isEqualTo("ci");
        assertThat(settings.user().source()).isEqualTo("the user parameter of the URL from test");
        assertThat(settings.toString())
                .doesNotContain("hunter2")
                .contains("url='isolatedpg.server.url' = jdbc:postgresql://db:5432/postgres?user=ci&password=<masked>"
                        + "&sslmode=require (from test)")
                .contains("password=<masked>");
        assertThat(configuration.raw(ConfigKeys.SERVER_URL).orElseThrow().toString())
                .doesNotContain("hunter2");
    }

    @Test
    void theConfiguredUserAndPasswordWinOverTheUrls() {
        ServerSettings settings = Configuration.from(List.of(
                        ConfigSource.of(
                                "test",
                                Map.of(
                                        ConfigKeys.SERVER_URL,
                                        "jdbc:postgresql://db/postgres?user=ci&password=from-url",
                                        ConfigKeys.SERVER_USER,
                                        "admin",
                                        ConfigKeys.SERVER_PASSWORD,
                                        "from-key")),
                        ConfigSource.environment(Map.of("PGPASSWORD", "from-env", "PGUSER", "env"))))
                .serverSettings();
        ServerSettings fromEnvironment = Configuration.from(List.of(
                        ConfigSource.of("test", Map.of(ConfigKeys.SERVER_URL, "jdbc:postgresql://db/postgres")),
                        ConfigSource.environment(Map.of("PGPASSWORD", "from-env"))))
                .serverSettings();

        assertThat(settings.user().value()).isEqualTo("admin");
        assertThat(settings.password()).isEqualTo("from-key");
        assertThat(fromEnvironment.password()).isEqualTo("from-env");
        assertThat(settings.toString()).doesNotContain("from-key", "from-url");
    }

    @Test
    void anInvalidSecretIsNamedByKeyAndSourceButNotShown() {
        Throwable badUrl = catchThrowable(() -> Configuration.from(List.of(ConfigSource.of(
                        "test", Map.of(ConfigKeys.SERVER_URL, "jdbc:postgresql://db/p?password=hunter2%zz"))))
                .serverSettings());
        Throwable badPlaceholders = catchThrowable(() -> Configuration.from(List.of(
                        ConfigSource.of("test", Map.of(ConfigKeys.FLYWAY_PLACEHOLDERS, "token=hunter2,=hunter3"))))
                .templateSpec());
        Throwable badSetting = catchThrowable(() -> Configuration.from(List.of(ConfigSource.of(
                        "test", Map.of(ConfigKeys.EMBEDDED_SETTINGS, "ssl_passphrase_command=hunter2,Bad-Name=1"))))
                .serverSettings());
        Throwable unreadableUrl = catchThrowable(() -> PostgresServer.start(Configuration.from(List.of(ConfigSource.of(
                        "test",
                        Map.of(
                                ConfigKeys.SERVER_MODE,
                                "external",
                                ConfigKeys.SERVER_URL,
                                "jdbc:postgresql://ci:hunter2@db/p?password=hunter2"))))
                .serverSettings()));

        assertThat(badUrl)
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid value 'jdbc:postgresql://db/p?password=<masked>' for 'isolatedpg.server.url'"
                        + " (from test): expected a JDBC URL such as jdbc:postgresql://localhost:5432/postgres.");
        assertThat(badPlaceholders)
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid value 'token=<masked>,=<masked>' for 'isolatedpg.flyway.placeholders'"
                        + " (from test): expected comma-separated name=value pairs such as schema=app,owner=app.");
        assertThat(badSetting)
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("Invalid value 'ssl_passphrase_command=<masked>,Bad-Name=1' for"
                        + " 'isolatedpg.embedded.settings' (from test): expected comma-separated name=value pairs of"
                        + " PostgreSQL settings");
        assertThat(unreadableUrl)
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("Invalid value 'jdbc:postgresql://ci:<masked>@db/p?password=<masked>' for"
                        + " 'isolatedpg.server.url' (from test): expected one host");
        for (Throwable failure : List.of(badUrl, badPlaceholders, badSetting, unreadableUrl)) {
            assertThat(SecretsChildMain.messages(failure)).doesNotContain("hunter");
        }
    }

    @Test
    void aTemplateSpecNamesItsPlaceholdersButNotTheirValues() {
        TemplateSpec spec = TemplateSpec.builder()
                .flyway(List.of("classpath:db/pooltest"))
                .flywayPlaceholders(Map.of("api_token", "hunter2", "schema", "app"))
                .origin(ConfigKeys.FLYWAY_LOCATIONS, "test")
                .build();

        assertThat(spec).hasToString("TemplateSpec[flyway [classpath:db/pooltest] placeholders [api_token, schema]]");
    }

    @Test
    void theConnectionFailureQuotesTheUrlWithoutTheCredentials() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Throwable failure = catchThrowable(() -> PostgresServer.start(Configuration.from(List.of(ConfigSource.of(
                        "test",
                        Map.of(
                                ConfigKeys.SERVER_MODE,
                                "external",
                                ConfigKeys.SERVER_URL,
                                "jdbc:postgresql://127.0.0.1:" + closedPort
                                        + "/postgres?password=hunter2&sslmode=disable&user=ci"))))
                .serverSettings()));

        assertThat(failure)
                .isInstanceOf(IsolatedPostgresException.class)
                .hasMessageStartingWith(
                        "Could not connect to the external PostgreSQL server jdbc:postgresql://127.0.0.1:"
                                + closedPort
                                + "/postgres?sslmode=disable as 'ci' (URL from test, user from the user parameter"
                                + " of the URL from test)");
        assertThat(SecretsChildMain.messages(failure)).doesNotContain("hunter2");
    }

    @Test
    void noSecretReachesTheLogsOrMessagesOfARunOnTheEmbeddedServer() throws Exception {
        Map<String, String> values = Map.of(
                ConfigKeys.EMBEDDED_DATA_DIRECTORY,
                dataDirectory.toString(),
                ConfigKeys.EMBEDDED_SETTINGS,
                "log_statement=all,log_connections=on",
                ConfigKeys.POOL_SIZE,
                "1");
        Configuration configuration = Configuration.from(List.of(ConfigSource.of("test", values)));
        try (PostgresServer server = PostgresServer.start(configuration.serverSettings());
                TestDatabasePool pool = TestDatabasePool.open(
                        server, TemplateSpec.of("classpath:db/pooltest"), configuration.poolSettings());
                TestDatabase db = pool.lease()) {
            String password = db.password();
            String placeholder = "plh-" + random();
            Map<String, String> child = new HashMap<>(values);
            child.put(ConfigKeys.FLYWAY_LOCATIONS, "classpath:db/pooltest");
            child.put(ConfigKeys.FLYWAY_PLACEHOLDERS, "api_token=" + placeholder + ",schema=public");

            String output = runChild(child);
            String serverLog = Files.readString(serverLog());

            assertThat(output)
                    .contains("SETTINGS ", "BUILD-FAILED ", "LEASED ", "ITEMS 2", "CONNECT-FAILED ", "DONE")
                    .contains("placeholders [api_token, schema]", "password=<masked>")
                    .contains(" DEBUG org.isolatedpg.", " DEBUG com.zaxxer.hikari.", "Connecting with URL")
                    .doesNotContain("UNEXPECTED", " WARN ");
            assertThat(serverLog).contains("statement: ", "connection authorized");
            for (String secret : List.of(password, placeholder)) {
                assertThat(output).doesNotContain(secret);
                assertThat(serverLog).doesNotContain(secret);
            }
            assertThat(List.of(configuration.serverSettings().toString(), server.toString(), db.jdbcUrl()))
                    .noneMatch(text -> text.contains(password));
        }
    }

    @Test
    void noSecretReachesTheLogsOrMessagesOfARunOnAnExternalServer() throws Exception {
        Assumptions.assumeTrue(
                localServerAnswers() || "true".equals(System.getenv("CI")),
                "no PostgreSQL answers on 127.0.0.1:5432 (CI=true makes this a failure)");
        String password = "s3cr3t-" + random(); // trust authentication: accepted and ignored
        String placeholder = "plh-" + random();
        Map<String, String> values = Map.of(
                ConfigKeys.SERVER_MODE,
                "external",
                ConfigKeys.SERVER_URL,
                LOCAL_URL + "?password=" + password + "&ApplicationName=x&sslmode=disable",
                ConfigKeys.SERVER_USER,
                "postgres",
                ConfigKeys.POOL_SIZE,
                "1",
                ConfigKeys.FLYWAY_LOCATIONS,
                "classpath:db/pooltest",
                ConfigKeys.FLYWAY_PLACEHOLDERS,
                "api_token=" + placeholder);

        String output = runChild(values);
        dropTemplates(output);

        assertThat(output)
                .contains("SETTINGS ", "BUILD-FAILED ", "LEASED ", "ITEMS 2", "CONNECT-FAILED ", "DONE")
                .contains("password=<masked>", "placeholders [api_token]", "/postgres?sslmode=disable")
                .contains(" DEBUG org.isolatedpg.", " DEBUG com.zaxxer.hikari.", "Connecting with URL")
                .contains("ReleaseReport[database=ipg_", "leakedConnections=[]]")
                .doesNotContain("UNEXPECTED");
        assertThat(output.lines().filter(line -> line.startsWith("LEASED ") || line.startsWith("SERVER ")))
                .hasSize(2)
                .allMatch(line -> line.contains("?sslmode=disable") && !line.contains("ApplicationName"));
        assertThat(output).doesNotContain(password).doesNotContain(placeholder);
    }

    /** Runs {@link SecretsChildMain} with DEBUG logging and returns all it wrote, after it exited successfully. */
    static String runChild(Map<String, String> configuration) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
                "-Dorg.slf4j.simpleLogger.log.org.isolatedpg=debug",
                "-Dorg.slf4j.simpleLogger.log.com.zaxxer.hikari=debug",
                "-Dorg.slf4j.simpleLogger.log.org.flywaydb=debug",
                "-cp",
                System.getProperty("java.class.path"),
                SecretsChildMain.class.getName()));
        configuration.forEach((key, value) -> command.add(key + "=" + value));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("The child JVM did not finish within " + PATIENCE);
            }
            String text = output.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(process.exitValue()).as(text).isZero();
            return text;
        } finally {
            process.destroyForcibly();
        }
    }

    private Path serverLog() throws IOException {
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            return files.filter(file -> file.getFileName().toString().equals("postgres.log"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    /** Drops the template the child built on the shared local server: its fingerprint is unique to this run. */
    private static void dropTemplates(String output) throws Exception {
        try (Connection connection = DriverManager.getConnection(LOCAL_URL, "postgres", "");
                Statement statement = connection.createStatement()) {
            for (String line :
                    output.lines().filter(line -> line.startsWith("TEMPLATE ")).toList()) {
                String template = line.substring("TEMPLATE ".length()).trim();
                assertThat(template).matches("ipg_tpl_[0-9a-f]{32}");
                statement.execute("ALTER DATABASE " + template + " WITH IS_TEMPLATE false");
                statement.execute("DROP DATABASE " + template);
            }
        }
    }

    private static boolean localServerAnswers() {
        return RolesOnExternalServerTests.answers();
    }

    static String random() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
