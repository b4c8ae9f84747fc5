package org.isolatedpg.core;

import java.time.Duration;

/**
 * What users tune about a pool of clones. Build it with {@link Configuration#poolSettings()}.
 *
 * @param size {@value ConfigKeys#POOL_SIZE}
 * @param acquireTimeout {@value ConfigKeys#POOL_ACQUIRE_TIMEOUT}
 * @param cloneStrategy {@value ConfigKeys#CLONE_STRATEGY}
 * @param maximumPoolSize {@value ConfigKeys#DATASOURCE_MAXIMUM_POOL_SIZE}
 * @param closeTimeout {@value ConfigKeys#POOL_CLOSE_TIMEOUT}
 * @param privileges {@value ConfigKeys#DATASOURCE_PRIVILEGES}
 * @param incrementalTemplates {@value ConfigKeys#TEMPLATE_INCREMENTAL}
 * @since 0.1
 */
public record PoolSettings(
        Setting<Integer> size,
        Setting<Duration> acquireTimeout,
        Setting<CloneStrategy> cloneStrategy,
        Setting<Integer> maximumPoolSize,
        Setting<Duration> closeTimeout,
        Setting<Privileges> privileges,
        Setting<Boolean> incrementalTemplates) {}
