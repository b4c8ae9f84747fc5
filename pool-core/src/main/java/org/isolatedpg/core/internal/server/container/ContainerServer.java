package org.isolatedpg.core.internal.server.container;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.ServerSettings;
import org.isolatedpg.core.internal.server.Server;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL in a Testcontainers container — for images the embedded binaries cannot give, such as PostGIS. The only
 * class that sees Testcontainers, an optional dependency: {@link #start} checks it is there before touching it. The
 * data directory is a tmpfs inside the container, the password random; the container stops on {@link #close()}.
 *
 * <p>Only Testcontainers' core ({@code org.testcontainers:testcontainers}) is used, in the API that 1.x and 2.x share:
 * its PostgreSQL module moved to another package and artifact in 2.0, so a class linked against it works with only one
 * of the lines that Spring Boot 3.5 and 4.0 pick.
 */
public final class ContainerServer implements Server {

    private static final String DATA = "/var/lib/postgresql/isolatedpg";
    private static final String USER = "isolatedpg";
    private static final String DATABASE = "postgres";
    private static final int PORT = 5432;

    private final GenericContainer<?> container;
    private final String password;
    private final String version;

    private ContainerServer(GenericContainer<?> container, String password, String version) {
        this.container = container;
        this.password = password;
        this.version = version;
    }

    /**
     * Starts the container. Call it only when Testcontainers is on the classpath ({@code PostgresServer} checks), as
     * this class cannot even be linked without it.
     */
    public static Server start(ServerSettings settings) {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IsolatedPostgresException("'" + ConfigKeys.SERVER_MODE + "' = container needs a Docker"
                    + " engine, and none answers here. Start one, or use '" + ConfigKeys.SERVER_MODE
                    + "' = embedded or external.");
        }
        String image = settings.containerImage().value();
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        GenericContainer<?> container = definition(image, password);
        try {
            container.start();
        } catch (RuntimeException e) {
            container.close();
            throw new IsolatedPostgresException(
                    "Could not start the PostgreSQL container " + image + " (from "
                            + settings.containerImage().source() + "): " + e.getMessage(),
                    e);
        }
        return new ContainerServer(container, password, image);
    }

    /**
     * The container as Testcontainers' {@code PostgreSQLContainer} defines it (the image's environment, port 5432, ready
     * when the log says so), plus a tmpfs data directory and settings for throwaway data. Nothing here talks to Docker.
     */
    static GenericContainer<?> definition(String image, String password) {
        return new GenericContainer<>(DockerImageName.parse(image))
                .withEnv("POSTGRES_USER", USER)
                .withEnv("POSTGRES_PASSWORD", password)
                .withEnv("POSTGRES_DB", DATABASE)
                .withEnv("PGDATA", DATA)
                .withTmpFs(Map.of(DATA, "rw"))
                .withCommand(
                        "postgres",
                        "-c",
                        "fsync=off",
                        "-c",
                        "synchronous_commit=off",
                        "-c",
                        "full_page_writes=off",
                        "-c",
                        "max_connections=300")
                .withExposedPorts(PORT)
                // The image's entrypoint starts PostgreSQL twice: for its initialisation scripts on a local socket,
                // then for good. Only the second "ready" means the port answers.
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*\\s", 2)
                        .withStartupTimeout(Duration.ofSeconds(60)));
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(PORT);
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public String maintenanceDatabase() {
        return DATABASE;
    }

    @Override
    public String description() {
        return "container PostgreSQL (" + version + ") on " + host() + ":" + port();
    }

    @Override
    public void close() {
        container.close();
    }
}
