package org.isolatedpg.core.internal.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Reads what a location names, the way Flyway reads its locations: {@code classpath:…} in classpath directories and
 * jars (every root that holds the path), {@code filesystem:…} in the file system, and a location without a prefix as
 * {@code classpath:}. A location names a folder (every file under it, recursively) or a single file.
 */
public final class Locations {

    public static final String CLASSPATH = "classpath:";
    public static final String FILESYSTEM = "filesystem:";

    /**
     * A file found at a location.
     *
     * @param name its path relative to the location's folder, or its file name when the location names the file
     * @param content its bytes
     */
    public record LocatedFile(String name, byte[] content) {}

    private Locations() {}

    /** The location with its prefix: {@code db/migration} is {@code classpath:db/migration}, as in Flyway. */
    public static String normalize(String location) {
        return location.startsWith(CLASSPATH) || location.startsWith(FILESYSTEM) ? location : CLASSPATH + location;
    }

    /**
     * Every file at the location, sorted by name within each root; empty when it names nothing.
     *
     * @throws UncheckedIOException when a file there cannot be read
     */
    public static List<LocatedFile> read(String location, ClassLoader loader) {
        String normalized = normalize(location);
        List<LocatedFile> files = new ArrayList<>();
        try {
            if (normalized.startsWith(CLASSPATH)) {
                addClasspath(stripSlashes(normalized.substring(CLASSPATH.length())), loader, files);
            } else {
                addPath(Path.of(normalized.substring(FILESYSTEM.length())), files);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the files at " + normalized, e);
        }
        return files;
    }

    /** Whether the location names at least one file. */
    public static boolean exists(String location, ClassLoader loader) {
        return !read(location, loader).isEmpty();
    }

    private static void addClasspath(String path, ClassLoader loader, List<LocatedFile> files) throws IOException {
        Enumeration<URL> roots = loader.getResources(path);
        while (roots.hasMoreElements()) {
            URL root = roots.nextElement();
            if ("file".equals(root.getProtocol())) {
                try {
                    addPath(Path.of(root.toURI()), files);
                } catch (URISyntaxException e) {
                    throw new IOException("Unreadable classpath location " + root, e);
                }
            } else if ("jar".equals(root.getProtocol())) {
                addJar(root, path, files);
            } else {
                throw new IOException("Unsupported classpath location " + root);
            }
        }
    }

    private static void addPath(Path path, List<LocatedFile> files) throws IOException {
        if (Files.isRegularFile(path)) {
            files.add(new LocatedFile(path.getFileName().toString(), Files.readAllBytes(path)));
            return;
        }
        if (!Files.isDirectory(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                String name = path.relativize(file).toString().replace('\\', '/');
                files.add(new LocatedFile(name, Files.readAllBytes(file)));
            }
        }
    }

    private static void addJar(URL root, String path, List<LocatedFile> files) throws IOException {
        JarURLConnection connection = (JarURLConnection) root.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            JarEntry single = jar.getJarEntry(path);
            if (single != null && !single.isDirectory()) {
                try (InputStream in = jar.getInputStream(single)) {
                    files.add(new LocatedFile(path.substring(path.lastIndexOf('/') + 1), in.readAllBytes()));
                }
                return;
            }
            String prefix = path.isEmpty() ? "" : path + "/";
            for (JarEntry entry : jar.stream()
                    .filter(e -> !e.isDirectory() && e.getName().startsWith(prefix))
                    .sorted((a, b) -> a.getName().compareTo(b.getName()))
                    .toList()) {
                try (InputStream in = jar.getInputStream(entry)) {
                    files.add(new LocatedFile(entry.getName().substring(prefix.length()), in.readAllBytes()));
                }
            }
        }
    }

    private static String stripSlashes(String path) {
        String stripped = path;
        while (stripped.startsWith("/")) {
            stripped = stripped.substring(1);
        }
        while (stripped.endsWith("/")) {
            stripped = stripped.substring(0, stripped.length() - 1);
        }
        return stripped;
    }
}
