package org.isolatedpg.core.internal.liquibase;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.CompositeResourceAccessor;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;
import org.isolatedpg.core.internal.source.Locations;

/**
 * Where a changelog is, and how Liquibase reaches it and the files it names.
 *
 * <p>A {@code classpath:} changelog is given to Liquibase as its path in the class loader, the way Spring Boot's
 * {@code classpath:db/changelog/…} ends up: Liquibase records that path in {@code DATABASECHANGELOG.FILENAME}, so the
 * user's own Liquibase run against a clone finds every changeset already applied. A {@code filesystem:} changelog is
 * given as its file name in its folder, which is also the root its relative includes resolve from; paths in it without
 * {@code relativeToChangelogFile} are looked up in that folder, then on the class path.
 *
 * @param location the location with its prefix, as users wrote it: {@code classpath:db/changelog/master.yaml}
 * @param path the changelog's path as Liquibase sees it
 * @param directory the folder of a {@code filesystem:} changelog; {@code null} for {@code classpath:}
 */
record ChangelogLocation(String location, String path, Path directory) {

    static ChangelogLocation parse(String changelog) {
        String normalized = Locations.normalize(changelog.strip());
        if (normalized.startsWith(Locations.CLASSPATH)) {
            String path = normalized.substring(Locations.CLASSPATH.length());
            while (path.startsWith("/")) {
                path = path.substring(1);
            }
            return new ChangelogLocation(normalized, path, null);
        }
        Path file = Path.of(normalized.substring(Locations.FILESYSTEM.length()))
                .toAbsolutePath()
                .normalize();
        Path directory = file.getParent() == null ? file : file.getParent();
        return new ChangelogLocation(normalized, String.valueOf(file.getFileName()), directory);
    }

    boolean exists(ClassLoader loader) {
        return directory == null
                ? !path.isEmpty() && loader.getResource(path) != null
                : Files.isRegularFile(directory.resolve(path));
    }

    /** What Liquibase reads the changelog and its files through; the location must exist. */
    ResourceAccessor accessor(ClassLoader loader) {
        ClassLoaderResourceAccessor classpath = new ClassLoaderResourceAccessor(loader);
        if (directory == null) {
            return classpath;
        }
        try {
            return new CompositeResourceAccessor(new DirectoryResourceAccessor(directory), classpath);
        } catch (FileNotFoundException e) {
            throw new IllegalStateException("The changelog's folder " + directory + " vanished", e);
        }
    }
}
