package org.isolatedpg.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The embedded server's processes, seen from outside: what {@code postmaster.pid} says, and killing it. */
final class Postmasters {

    private Postmasters() {}

    /** The pid in the cluster's {@code data/postmaster.pid}. */
    static long pid(TargetServer server) throws IOException {
        return Long.parseLong(Files.readAllLines(pidFile(server)).get(0).trim());
    }

    static Path pidFile(TargetServer server) throws IOException {
        return server.clusterDirectory().resolve("data").resolve("postmaster.pid");
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** SIGKILLs the postmaster, as the OOM killer would, and waits until it and all its children are gone. */
    static void crash(long pid) throws Exception {
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        List<ProcessHandle> children = postmaster.descendants().toList();
        postmaster.destroyForcibly();
        postmaster.onExit().get(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        for (ProcessHandle child : children) {
            child.onExit().get(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Waits for a process to exit. */
    static void awaitGone(long pid) throws Exception {
        Await.until("process " + pid + " to exit", () -> !alive(pid));
    }
}
