package org.isolatedpg.core;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What users tune about the PostgreSQL server. Build it with {@link Configuration#serverSettings()}.
 *
 * @param dataDirectory {@value ConfigKeys#EMBEDDED_DATA_DIRECTORY}
 * @param cacheDirectory {@value ConfigKeys#EMBEDDED_CACHE_DIRECTORY}
 * @param startupTimeout {@value ConfigKeys#EMBEDDED_STARTUP_TIMEOUT}
 * @since 0.1
 */
public record ServerSettings(
        Setting<Path> dataDirectory, Setting<Path> cacheDirectory, Setting<Duration> startupTimeout) {}
