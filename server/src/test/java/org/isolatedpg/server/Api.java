package org.isolatedpg.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.isolatedpg.server.internal.json.Json;

/** A client of the server's HTTP API over real HTTP, as any language's client is. */
final class Api {

    /** A reply: its status and body. */
    record Reply(int status, String body) {

        Map<String, Object> json() {
            return Json.object(body);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> config() {
            return (Map<String, Object>) ((Map<String, Object>) json().get("database")).get("config");
        }

        int id() {
            return ((Number) json().get("id")).intValue();
        }

        String database() {
            return (String) config().get("database");
        }

        /** A new connection to the database this reply configures, as the role it names. */
        Connection connect() throws SQLException {
            Map<String, Object> config = config();
            Properties login = new Properties();
            login.setProperty("user", (String) config.get("username"));
            login.setProperty("password", (String) config.get("password"));
            return DriverManager.getConnection(
                    "jdbc:postgresql://" + config.get("host") + ":" + ((Number) config.get("port")).intValue() + "/"
                            + config.get("database"),
                    login);
        }
    }

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    Api(String base) {
        this(base, null);
    }

    Api(String base, String token) {
        this.base = base;
        this.token = token;
    }

    Reply initialize(String hash) {
        return send("POST", "/api/v1/templates", "{\"hash\": \"" + hash + "\"}");
    }

    Reply finalizeTemplate(String hash) {
        return send("PUT", "/api/v1/templates/" + hash, null);
    }

    Reply discard(String hash) {
        return send("DELETE", "/api/v1/templates/" + hash, null);
    }

    Reply testDatabase(String hash) {
        return send("GET", "/api/v1/templates/" + hash + "/tests", null);
    }

    Reply unlock(String hash, int id) {
        return send("POST", "/api/v1/templates/" + hash + "/tests/" + id + "/unlock", null);
    }

    Reply recreate(String hash, int id) {
        return send("POST", "/api/v1/templates/" + hash + "/tests/" + id + "/recreate", null);
    }

    Reply giveBack(String hash, int id) {
        return send("DELETE", "/api/v1/templates/" + hash + "/tests/" + id, null);
    }

    Reply send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(90))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
