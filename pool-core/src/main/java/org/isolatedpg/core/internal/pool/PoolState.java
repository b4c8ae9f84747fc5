package org.isolatedpg.core.internal.pool;

/**
 * How many clones of a pool are in each state at one moment.
 *
 * @param ready made and waiting for a test
 * @param leased handed to a test
 * @param returning back from a test and being checked
 * @param creating being made
 * @param dropping being dropped
 * @param waiting tests waiting for a clone
 */
public record PoolState(int ready, int leased, int returning, int creating, int dropping, int waiting) {

    /** {@code ready=0, leased=4, returning=0, creating=2, dropping=1, waiting=3}, for messages. */
    @Override
    public String toString() {
        return "ready=" + ready + ", leased=" + leased + ", returning=" + returning + ", creating=" + creating
                + ", dropping=" + dropping + ", waiting=" + waiting;
    }
}
