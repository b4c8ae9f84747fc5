package org.isolatedpg.core.internal.server.container;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.ServerSettings;
import org.isolatedpg.core.internal.server.Server;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL in a Testcontainers container — for images the embedded binaries cannot give, such as PostGIS. The only
 * class that sees Testcontainers, an optional dependency: {@link #start} checks it is there before touching it. The
 * data directory is a tmpfs inside the container, the password random; the container stops on {@link #close()}.
 */
public final class ContainerServer implements Server {

    private static final String DATA = "/var/lib/postgresql/isolatedpg";

    private final PostgreSQLContainer container;
    private final String password;
    private final String version;

    private ContainerServer(PostgreSQLContainer container, String password, String version) {
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
        PostgreSQLContainer container = new PostgreSQLContainer(
                        DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"))
                .withDatabaseName("postgres")
                .withUsername("isolatedpg")
                .withPassword(password)
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
                        "max_connections=300");
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

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(5432);
    }

    @Override
    public String user() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public String maintenanceDatabase() {
        return "postgres";
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
