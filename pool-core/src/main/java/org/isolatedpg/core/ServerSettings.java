package org.isolatedpg.core;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What users tune about the PostgreSQL server. Build it with {@link Configuration#serverSettings()}.
 *
 * @param mode {@value ConfigKeys#SERVER_MODE}
 * @param url {@value ConfigKeys#SERVER_URL} (external servers; empty otherwise)
 * @param user {@value ConfigKeys#SERVER_USER} (external servers)
 * @param password {@value ConfigKeys#SERVER_PASSWORD} (external servers; empty when none); never printed
 * @param dataDirectory {@value ConfigKeys#EMBEDDED_DATA_DIRECTORY}
 * @param cacheDirectory {@value ConfigKeys#EMBEDDED_CACHE_DIRECTORY}
 * @param startupTimeout {@value ConfigKeys#EMBEDDED_STARTUP_TIMEOUT}
 * @param keepRunning {@value ConfigKeys#EMBEDDED_KEEP_RUNNING}
 * @param containerImage {@value ConfigKeys#CONTAINER_IMAGE}
 * @param templateRetention {@value ConfigKeys#TEMPLATE_RETENTION}
 * @since 0.1
 */
public record ServerSettings(
        Setting<ServerMode> mode,
        Setting<String> url,
        Setting<String> user,
        String password,
        Setting<Path> dataDirectory,
        Setting<Path> cacheDirectory,
        Setting<Duration> startupTimeout,
        Setting<Boolean> keepRunning,
        Setting<String> containerImage,
        Setting<Duration> templateRetention) {

    /** Everything but the password, which shows as {@code <masked>}. */
    @Override
    public String toString() {
        return "ServerSettings[mode=" + mode + ", url=" + url + ", user=" + user + ", password="
                + (password.isEmpty() ? "<none>" : "<masked>") + ", dataDirectory=" + dataDirectory
                + ", cacheDirectory=" + cacheDirectory + ", startupTimeout=" + startupTimeout + ", keepRunning="
                + keepRunning + ", containerImage=" + containerImage + ", templateRetention=" + templateRetention
                + "]";
    }
}
