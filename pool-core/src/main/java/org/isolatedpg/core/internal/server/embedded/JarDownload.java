package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Downloads a {@link PinnedJar} from a Maven repository into a file that appears under its final name only complete and
 * with the pinned bytes.
 *
 * <p>The transfer runs on the caller's thread: {@link HttpURLConnection} starts none, and the connection is closed
 * rather than kept alive, so not even the JDK's keep-alive timer starts. It goes through the proxy the selector picks
 * for the URL, by default the JVM's ({@code https.proxyHost}, {@code https.proxyPort}, {@code http.nonProxyHosts}, or
 * the system's with {@code java.net.useSystemProxies}). Every wait is bounded: connecting, each read, the whole
 * transfer. Credentials in the repository's URL ({@code https://user:password@host/path}) go as HTTP Basic
 * authentication to that host only, never to a host it redirects to, and no message shows them.
 *
 * @param repository the repository's URL, {@code http(s)://}, with no trailing slash
 */
record JarDownload(String repository, ProxySelector proxies) {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    /** The longest silence while reading. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** The longest whole transfer: a 71 MB jar at 120 kB/s. */
    static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(10);

    private static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** The largest binaries jar is 71 MB: a repository sending far more is sending something else. */
    private static final long MAX_BYTES = 512L * 1024 * 1024;

    JarDownload {
        Objects.requireNonNull(repository);
        Objects.requireNonNull(proxies);
    }

    /** From the repository through the JVM's proxies. */
    static JarDownload from(String repository) {
        ProxySelector proxies = ProxySelector.getDefault();
        return new JarDownload(repository, proxies == null ? ProxySelector.of(null) : proxies);
    }

    /** The jar's URL as messages show it: without credentials. */
    String url(PinnedJar jar) {
        return withoutUserInfo(repository) + "/" + jar.path();
    }

    /**
     * Downloads the jar to {@code target}, through a temporary file beside it that is moved into place once its SHA-256
     * is the pinned one. Nothing is left behind on failure.
     *
     * @throws IOException naming the URL (without credentials) and what went wrong: an HTTP status, a timeout, bytes
     *     other than the pinned ones
     */
    void download(PinnedJar jar, Path target) throws IOException, InterruptedException {
        URI uri = URI.create(url(jar));
        long deadline = System.nanoTime() + TRANSFER_TIMEOUT.toNanos();
        HttpURLConnection connection = open(uri);
        Path partial = null;
        try {
            partial = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
            String sha256 = copy(connection, partial, uri, deadline);
            if (!sha256.equals(jar.sha256())) {
                throw new IOException(uri + " has SHA-256 " + sha256 + ", not the " + jar.sha256() + " pinned for "
                        + jar.coordinates() + ": the repository serves other bytes under these coordinates, and they"
                        + " were not kept");
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            connection.disconnect();
            if (partial != null) {
                Files.deleteIfExists(partial);
            }
        }
    }

    /** Copies the body into the file; returns its SHA-256. */
    private static String copy(HttpURLConnection connection, Path file, URI uri, long deadline)
            throws IOException, InterruptedException {
        MessageDigest digest = Sha256.digest();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (InputStream in = connection.getInputStream();
                OutputStream out = Files.newOutputStream(file)) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                total += read;
                if (total > MAX_BYTES) {
                    throw new IOException(
                            uri + " sent more than " + MAX_BYTES + " bytes, far more than any binaries jar");
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("Downloading " + uri + " took longer than " + TRANSFER_TIMEOUT.toMinutes()
                            + " minutes (" + total + " bytes received)");
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("Interrupted while downloading " + uri);
                }
                digest.update(buffer, 0, read);
                out.write(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A connection whose response is 200, after following redirects. */
    private HttpURLConnection open(URI uri) throws IOException {
        String credentials = credentials(repository);
        URI current = uri;
        for (int redirects = 0; ; redirects++) {
            HttpURLConnection connection = (HttpURLConnection) current.toURL().openConnection(proxy(current));
            connection.setInstanceFollowRedirects(false); // followed below, so credentials never follow to another host
            connection.setUseCaches(false);
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) READ_TIMEOUT.toMillis());
            connection.setRequestProperty("User-Agent", "isolated-postgres");
            if (credentials != null && sameServer(current, uri)) {
                connection.setRequestProperty("Authorization", "Basic " + credentials);
            }
            int status;
            try {
                status = connection.getResponseCode();
            } catch (IOException e) {
                connection.disconnect();
                throw new IOException(
                        "Could not download " + printable(current) + ": "
                                + e.getClass().getSimpleName() + ": " + e.getMessage(),
                        e);
            }
            if (status == HttpURLConnection.HTTP_OK) {
                return connection;
            }
            String location = connection.getHeaderField("Location");
            String reason = connection.getResponseMessage();
            connection.disconnect();
            if (REDIRECTS.contains(status) && location != null && redirects < MAX_REDIRECTS) {
                current = current.resolve(location);
            } else {
                throw new IOException(
                        "HTTP " + status + (reason == null ? "" : " " + reason) + " from " + printable(current));
            }
        }
    }

    private Proxy proxy(URI uri) {
        List<Proxy> candidates = proxies.select(uri);
        return candidates == null || candidates.isEmpty() ? Proxy.NO_PROXY : candidates.get(0);
    }

    private static boolean sameServer(URI a, URI b) {
        return a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** A redirect's URL without its query, which may hold a signature (an S3 link). */
    private static String printable(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority().replaceFirst("^[^@]*@", "") + uri.getRawPath();
    }

    /** Basic authentication's token for the URL's user info, or null when it has none. */
    private static String credentials(String url) {
        String userInfo = URI.create(url).getUserInfo();
        return userInfo == null ? null : Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    static String withoutUserInfo(String url) {
        return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1");
    }
}
