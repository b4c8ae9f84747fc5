package org.isolatedpg.core.internal.template;

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
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.TemplateSpec;

/**
 * Lists every file under Flyway locations, with its bytes, the way Flyway finds them: recursively, in classpath
 * directories and jars for {@code classpath:} and in the file system for {@code filesystem:}. Java migrations compiled
 * into a location's package are files there too, so their bytecode counts.
 */
final class MigrationFiles {

    /** A file under a location: its path relative to the location, and its content. */
    record MigrationFile(String name, byte[] content) {}

    private MigrationFiles() {}

    /**
     * Every file under the spec's locations.
     *
     * @throws InvalidConfigurationException when a location holds no file: a misspelt location would otherwise give
     *     an empty template, and tests failing far from the cause
     */
    static List<MigrationFile> list(TemplateSpec spec, ClassLoader loader) {
        List<MigrationFile> files = new ArrayList<>();
        for (String location : spec.locations()) {
            int before = files.size();
            try {
                if (location.startsWith("classpath:")) {
                    addClasspath(stripSlashes(location.substring("classpath:".length())), loader, files);
                } else {
                    addDirectory(Path.of(location.substring("filesystem:".length())), files);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read the migrations in " + location, e);
            }
            if (files.size() == before) {
                throw new InvalidConfigurationException("No migration files at '" + location + "' (from "
                        + spec.locationsSource() + "). Check the location in '" + ConfigKeys.FLYWAY_LOCATIONS
                        + "' or @IsolatedPostgres(migrations), and that its files are on the test classpath.");
            }
        }
        return files;
    }

    private static void addClasspath(String path, ClassLoader loader, List<MigrationFile> files) throws IOException {
        Enumeration<URL> roots = loader.getResources(path);
        while (roots.hasMoreElements()) {
            URL root = roots.nextElement();
            if ("file".equals(root.getProtocol())) {
                try {
                    addDirectory(Path.of(root.toURI()), files);
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

    private static void addDirectory(Path directory, List<MigrationFile> files) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                String name = directory.relativize(file).toString().replace('\\', '/');
                files.add(new MigrationFile(name, Files.readAllBytes(file)));
            }
        }
    }

    private static void addJar(URL root, String path, List<MigrationFile> files) throws IOException {
        JarURLConnection connection = (JarURLConnection) root.openConnection();
        connection.setUseCaches(false);
        String prefix = path.isEmpty() ? "" : path + "/";
        try (JarFile jar = connection.getJarFile()) {
            for (JarEntry entry : jar.stream().filter(e -> !e.isDirectory()).toList()) {
                if (entry.getName().startsWith(prefix)) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        files.add(new MigrationFile(entry.getName().substring(prefix.length()), in.readAllBytes()));
                    }
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
