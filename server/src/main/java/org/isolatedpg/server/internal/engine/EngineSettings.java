package org.isolatedpg.server.internal.engine;

import java.time.Duration;
import org.isolatedpg.core.PoolSettings;

/**
 * How the engine serves test databases.
 *
 * @param pool each hash's pool of clones: how many it keeps ready, how long a request waits for one
 * @param maxPoolSize IntegreSQL's cap on a hash's test databases, ready and handed out without a lease; beyond it,
 *     the oldest handed out that nobody is connected to is recreated
 * @param finalizeTimeout how long a request for a test database waits for its template to be finalized
 * @param minimalLifetime how long a test database handed out is safe from being recreated to make room
 * @param buildTimeout how long a client may take from initializing a template to finalizing it
 */
public record EngineSettings(
        PoolSettings pool,
        int maxPoolSize,
        Duration finalizeTimeout,
        Duration minimalLifetime,
        Duration buildTimeout) {}
