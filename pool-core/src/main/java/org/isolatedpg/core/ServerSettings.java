package org.isolatedpg.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What users tune about the PostgreSQL server. Build it with {@link Configuration#serverSettings()}.
 *
 * @param mode {@value ConfigKeys#SERVER_MODE}
 * @param url {@value ConfigKeys#SERVER_URL} (external servers; empty otherwise), as given: printed with any password
 *     in it masked
 * @param user {@value ConfigKeys#SERVER_USER} (external servers), or the URL's {@code user} parameter
 * @param password {@value ConfigKeys#SERVER_PASSWORD} (external servers; empty when none), or the URL's
 *     {@code password} parameter; never printed
 * @param dataDirectory {@value ConfigKeys#EMBEDDED_DATA_DIRECTORY}
 * @param cacheDirectory {@value ConfigKeys#EMBEDDED_CACHE_DIRECTORY}
 * @param binariesRepository {@value ConfigKeys#EMBEDDED_BINARIES_REPOSITORY}: a URL, printed with any password in it
 *     masked, or {@code none}
 * @param startupTimeout {@value ConfigKeys#EMBEDDED_STARTUP_TIMEOUT}
 * @param keepRunning {@value ConfigKeys#EMBEDDED_KEEP_RUNNING}
 * @param embeddedSettings {@value ConfigKeys#EMBEDDED_SETTINGS}: PostgreSQL settings by name
 * @param containerImage {@value ConfigKeys#CONTAINER_IMAGE}
 * @param templateRetention {@value ConfigKeys#TEMPLATE_RETENTION}
 * @param keepFailed {@value ConfigKeys#KEEP_FAILED}
 * @since 0.1
 */
public record ServerSettings(
        Setting<ServerMode> mode,
        Setting<String> url,
        Setting<String> user,
        String password,
        Setting<Path> dataDirectory,
        Setting<Path> cacheDirectory,
        Setting<String> binariesRepository,
        Setting<Duration> startupTimeout,
        Setting<Boolean> keepRunning,
        Setting<Map<String, String>> embeddedSettings,
        Setting<String> containerImage,
        Setting<Duration> templateRetention,
        Setting<Integer> keepFailed) {

    /** Everything but secrets: the password shows as {@code <masked>}, also inside the URL. */
    @Override
    public String toString() {
        return "ServerSettings[mode=" + mode + ", url=" + url + ", user=" + user + ", password="
                + (password.isEmpty() ? "<none>" : "<masked>") + ", dataDirectory=" + dataDirectory
                + ", cacheDirectory=" + cacheDirectory + ", binariesRepository=" + binariesRepository
                + ", startupTimeout=" + startupTimeout + ", keepRunning="
                + keepRunning + ", embeddedSettings=" + embeddedSettings + ", containerImage=" + containerImage
                + ", templateRetention=" + templateRetention + ", keepFailed=" + keepFailed
                + "]";
    }
}
