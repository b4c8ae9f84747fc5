package org.isolatedpg.junit;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits in a test for a condition only another process can make true, polling it with a short pause. */
final class Await {

    private Await() {}

    static void until(Duration timeout, String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
