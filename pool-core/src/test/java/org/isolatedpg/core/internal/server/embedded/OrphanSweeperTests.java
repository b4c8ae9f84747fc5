package org.isolatedpg.core.internal.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrphanSweeperTests {

    @TempDir
    Path base;

    @Test
    void removesTheDirectoryOfADeadOwner() throws IOException {
        Path dead = server("server-dead");

        OrphanSweeper.sweep(base);

        assertThat(dead).doesNotExist();
    }

    @Test
    void leavesTheDirectoryOfALiveOwnerAlone() throws IOException {
        Path alive = server("server-alive");
        try (FileChannel channel = FileChannel.open(alive.resolve(OrphanSweeper.LOCK_FILE), StandardOpenOption.WRITE);
                var lock = channel.lock()) {
            OrphanSweeper.sweep(base);

            assertThat(alive.resolve("data/PG_VERSION")).exists();
        }
    }

    @Test
    void neverSignalsAProcessWhoseCommandLineDoesNotNameTheDataDirectory() throws IOException {
        Path dead = server("server-recycled-pid");
        // The pid file names a live process that is not that server's postmaster: this very JVM.
        Files.writeString(
                dead.resolve("data/postmaster.pid"), ProcessHandle.current().pid() + "\n" + dead + "\n");

        OrphanSweeper.sweep(base);

        assertThat(ProcessHandle.current().isAlive()).isTrue();
        assertThat(dead).doesNotExist();
    }

    @Test
    void ignoresDirectoriesWithoutALockFile() throws IOException {
        Path starting = Files.createDirectories(base.resolve("server-starting"));

        OrphanSweeper.sweep(base);

        assertThat(starting).exists();
    }

    private Path server(String name) throws IOException {
        Path server = Files.createDirectories(base.resolve(name));
        Files.createFile(server.resolve(OrphanSweeper.LOCK_FILE));
        Files.createDirectories(server.resolve("data"));
        Files.writeString(server.resolve("data/PG_VERSION"), "18\n");
        return server;
    }
}
