package org.isolatedpg.faults;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits in a test for a condition only another process or thread can make true, polling it with a short pause. */
final class Await {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    private Await() {}

    static void until(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up after " + PATIENCE + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
