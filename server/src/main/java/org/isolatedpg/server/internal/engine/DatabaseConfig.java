package org.isolatedpg.server.internal.engine;

import java.net.URI;

/**
 * How a client connects to a database: IntegreSQL's config object. {@link #toString()} never shows the password.
 */
public record DatabaseConfig(String host, int port, String username, String password, String database) {

    /** The config of {@code jdbcUrl} ({@code jdbc:postgresql://host:port/database}) for the given role. */
    static DatabaseConfig of(String jdbcUrl, String username, String password) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String path = uri.getPath();
        return new DatabaseConfig(
                uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), username, password, path.substring(1));
    }

    @Override
    public String toString() {
        return "DatabaseConfig[" + username + "@" + host + ":" + port + "/" + database + "]";
    }
}
