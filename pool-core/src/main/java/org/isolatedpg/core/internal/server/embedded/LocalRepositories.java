package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where Maven and Gradle keep the jars they downloaded on this machine: a user whose builds resolved a binaries jar once
 * (another project, a Maven build that added the platform's artifact, a Gradle build that declared it) has it here,
 * and need not download it again.
 *
 * @param maven the local Maven repository: {@code maven.repo.local}, else {@code ~/.m2/repository} (a
 *     {@code <localRepository>} in {@code settings.xml} is not read: a jar missed here is downloaded instead)
 * @param gradle Gradle's cache of downloaded files, {@code <Gradle user home>/caches/modules-2/files-2.1}
 */
record LocalRepositories(Path maven, Path gradle) {

    /**
     * This user's repositories. The Gradle user home is {@code gradle.user.home}, else {@code GRADLE_USER_HOME}, else
     * {@code ~/.gradle}: read here rather than passed in as configuration because they are Maven's and Gradle's
     * settings, not ours, and a test JVM started by either inherits them.
     */
    static LocalRepositories ofThisUser() {
        Path home = Path.of(System.getProperty("user.home"));
        String mavenRepository = System.getProperty("maven.repo.local");
        String gradleHome = System.getProperty("gradle.user.home", System.getenv("GRADLE_USER_HOME"));
        return new LocalRepositories(
                present(mavenRepository) ? Path.of(mavenRepository) : home.resolve(".m2/repository"),
                (present(gradleHome) ? Path.of(gradleHome) : home.resolve(".gradle"))
                        .resolve("caches/modules-2/files-2.1"));
    }

    /**
     * The files that may be the jar, not yet verified: Maven's one path, then Gradle's, one per directory Gradle names
     * after a copy's SHA-1 ({@code <group>/<artifact>/<version>/<sha1>/<file>}).
     */
    List<Path> candidates(PinnedJar jar) throws IOException {
        List<Path> candidates = new ArrayList<>();
        Path inMaven = maven.resolve(jar.path());
        if (Files.isRegularFile(inMaven)) {
            candidates.add(inMaven);
        }
        Path versionDirectory =
                gradle.resolve(jar.group()).resolve(jar.artifact()).resolve(jar.version());
        if (Files.isDirectory(versionDirectory)) {
            try (Stream<Path> copies = Files.list(versionDirectory)) {
                copies.map(copy -> copy.resolve(jar.fileName()))
                        .filter(Files::isRegularFile)
                        .sorted()
                        .forEach(candidates::add);
            }
        }
        return candidates;
    }

    @Override
    public String toString() {
        return maven + " (Maven) and " + gradle + " (Gradle)";
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
