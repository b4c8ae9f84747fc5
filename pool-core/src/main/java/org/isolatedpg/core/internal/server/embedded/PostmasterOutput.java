package org.isolatedpg.core.internal.server.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the postmaster's log (it blocks once the pipe is full), forwards it to SLF4J at DEBUG, keeps the last lines
 * for error messages and completes {@link #ready()} when the server accepts connections — event-driven, no polling.
 */
final class PostmasterOutput implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger("org.isolatedpg.core.postgres");
    private static final int TAIL_LINES = 30;

    private final InputStream output;
    private final Deque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile boolean bindFailed;

    private PostmasterOutput(InputStream output) {
        this.output = output;
    }

    static PostmasterOutput follow(Process process, int port) {
        PostmasterOutput follower = new PostmasterOutput(process.getInputStream());
        Thread thread = new Thread(follower, "isolatedpg-postgres-log-" + port);
        thread.setDaemon(true);
        thread.start();
        return follower;
    }

    /** Completes when the server is ready; fails when the postmaster exits first. */
    CompletableFuture<Void> ready() {
        return ready;
    }

    /** Whether the postmaster could not bind its port (another process has it). */
    boolean bindFailed() {
        return bindFailed;
    }

    synchronized String tail() {
        return String.join("\n", tail);
    }

    @Override
    public void run() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                LOG.debug("{}", line);
                remember(line);
                if (line.contains("could not bind") || line.contains("could not create any TCP/IP sockets")) {
                    bindFailed = true;
                }
                if (line.contains("database system is ready to accept connections")) {
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            LOG.debug("Stopped reading the postmaster's log", e);
        } finally {
            ready.completeExceptionally(new IOException("The postmaster exited"));
        }
    }

    private synchronized void remember(String line) {
        if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
        }
        tail.addLast(line);
    }
}
