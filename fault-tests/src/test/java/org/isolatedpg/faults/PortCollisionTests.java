package org.isolatedpg.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Row 12 of the fault matrix: the embedded server's port is taken. After a crash, another program holds the port the
 * server last ran on: the server starts on another port. A server that cannot bind at all fails with a clear error
 * naming the ports tried, and leaves nothing running.
 */
@Execution(ExecutionMode.CONCURRENT) // each test on a cluster of its own
class PortCollisionTests {

    @TempDir
    Path dataDirectory;

    @Test
    void startsOnAnotherPortWhenTheLastOneIsTakenAfterACrash() throws Exception {
        TargetServer server = TargetServer.of("embedded", dataDirectory);
        Inventory baseline = Inventory.of(server);
        int lastPort;
        try (ChildJvm starter = ChildJvm.start(server, "server")) {
            starter.awaitLine("ATTACHED");
            lastPort = Integer.parseInt(server.embeddedServer().orElseThrow().getProperty("port"));
            starter.kill();
        }
        Postmasters.crash(Postmasters.pid(server)); // and the server with it: its records stay behind

        try (ServerSocket taken = new ServerSocket(lastPort, 50, InetAddress.getByName("127.0.0.1"))) {
            try (PostgresServer started = server.start()) {
                assertThat(started.description()).doesNotEndWith(":" + lastPort);
                assertThat(Integer.parseInt(
                                server.embeddedServer().orElseThrow().getProperty("port")))
                        .isNotEqualTo(lastPort);
            }
        }
        Inventory.of(server).since(baseline).assertUnchangedExcept("what persists between runs", Inventory::persists);
    }

    @Test
    void aServerThatCannotBindFailsClearlyAndLeavesNothingRunning() throws Exception {
        TargetServer server = TargetServer.of("embedded", dataDirectory);
        server.start().close(); // a cluster, stopped
        Inventory baseline = Inventory.of(server);
        // An address of no interface here (TEST-NET-1): every attempt fails to bind, like a port that is always taken.
        Files.writeString(
                server.clusterDirectory().resolve("data").resolve("postgresql.conf"),
                "\nlisten_addresses = '192.0.2.1'\n",
                StandardOpenOption.APPEND);

        assertThatThrownBy(server::start)
                .isInstanceOf(IsolatedPostgresException.class)
                .hasMessageContaining("The server could not bind a port after 5 attempts (ports [");
        Inventory.of(server).since(baseline).assertUnchangedExcept("nothing", item -> false);
    }
}
