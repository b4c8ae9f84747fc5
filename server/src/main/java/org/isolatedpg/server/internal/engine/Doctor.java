package org.isolatedpg.server.internal.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.PoolSettings;
import org.isolatedpg.core.ServerMode;
import org.isolatedpg.core.ServerSettings;
import org.isolatedpg.core.internal.attachment.Attachment;
import org.isolatedpg.core.internal.server.embedded.Preflight;

/**
 * The preflight of {@code doctor}: what makes the embedded server (or the server the settings name) fail on this
 * machine, each problem with its fix. Later checks that need the server are skipped when an earlier one failed.
 */
public final class Doctor {

    /**
     * One check's outcome.
     *
     * @param fix what to do about a problem; null when the check passed, or was skipped
     */
    public record Check(String name, boolean ok, String detail, String fix) {}

    private Doctor() {}

    /**
     * @param server the PostgreSQL server to check
     * @param pool the pools tests would use
     * @param listen where the HTTP server would listen, or null
     * @param parallelism how many tests would run at once
     */
    public static List<Check> run(ServerSettings server, PoolSettings pool, InetSocketAddress listen, int parallelism) {
        List<Check> checks = new ArrayList<>();
        if (server.mode().value() == ServerMode.EMBEDDED) {
            for (Preflight.Check check : Preflight.run(server)) {
                checks.add(new Check(check.name(), check.ok(), check.detail(), check.fix()));
            }
        }
        checks.add(ports(listen));
        if (checks.stream().allMatch(Check::ok)) {
            checks.add(connections(server, pool, parallelism));
        } else {
            checks.add(new Check("connections", true, "skipped: fix the problems above first", null));
        }
        return checks;
    }

    private static Check ports(InetSocketAddress listen) {
        try (ServerSocket loopback = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int free = loopback.getLocalPort();
            if (listen == null) {
                return new Check("ports", true, "loopback port " + free + " could be had", null);
            }
        } catch (IOException e) {
            return new Check(
                    "ports",
                    false,
                    "no port on the loopback interface could be had: " + e.getMessage(),
                    "check the firewall or sandbox: the embedded server listens on 127.0.0.1");
        }
        try (ServerSocket api = new ServerSocket()) {
            api.bind(listen);
            return new Check("ports", true, "loopback ports free; " + listen + " free for the HTTP API", null);
        } catch (IOException e) {
            return new Check(
                    "ports",
                    false,
                    listen + " cannot be listened on: " + e.getMessage(),
                    "another program has the port (a running server?): set INTEGRESQL_PORT to a free one");
        }
    }

    private static Check connections(ServerSettings server, PoolSettings pool, int parallelism) {
        try (Attachment attachment = Attachment.inspect(server)) {
            int total = attachment.budget().total();
            int perTest = attachment.budget().perLease(pool.maximumPoolSize());
            int needed = parallelism * perTest + pool.size().value();
            String detail = attachment.server().description() + " leaves tests " + total + " connections ("
                    + attachment.budget().origin() + "); " + parallelism + " tests at once with up to " + perTest
                    + " each, and " + pool.size().value() + " warm clones, need " + needed;
            if (total >= needed) {
                return new Check("connections", true, detail, null);
            }
            return new Check(
                    "connections",
                    false,
                    detail,
                    "lower '" + ConfigKeys.DATASOURCE_MAXIMUM_POOL_SIZE + "' (now "
                            + pool.maximumPoolSize().value()
                            + ") or the parallelism, or raise max_connections"
                            + (server.mode().value() == ServerMode.EMBEDDED
                                    ? " ('" + ConfigKeys.EMBEDDED_SETTINGS + "' = max_connections=" + (needed + 20)
                                            + ")"
                                    : " on the server")
                            + "; otherwise tests wait for connections");
        } catch (RuntimeException e) {
            return new Check(
                    "connections",
                    false,
                    "the server could not be reached: " + e.getMessage(),
                    "see the message; for the embedded server, the checks above");
        }
    }
}
