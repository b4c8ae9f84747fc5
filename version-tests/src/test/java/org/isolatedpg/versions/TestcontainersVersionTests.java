package org.isolatedpg.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * The container server with the Testcontainers version on the classpath, one that a Spring Boot BOM picks (each
 * Surefire execution of this module puts another there, and says which in {@code expected.testcontainers.version}):
 * its source compiles against that version, and the class pool-core ships links and runs with it. Without a Docker
 * engine, as in most of our builds, the run ends at the engine check; with one, the container starts for real.
 */
class TestcontainersVersionTests {

    @Test
    void runsWithTheVersionTheBuildPickedAndWithoutThePostgresModule() {
        // Testcontainers is built with Gradle: its jar has no Maven metadata, but says its version in the manifest.
        assertThat(DockerClientFactory.class.getPackage().getImplementationVersion())
                .isEqualTo(System.getProperty("expected.testcontainers.version"));
        // The module's class in 1.x, and in 2.x (which keeps the old name too, deprecated): neither may be needed.
        assertThat(onClasspath("org.testcontainers.containers.PostgreSQLContainer"))
                .isFalse();
        assertThat(onClasspath("org.testcontainers.postgresql.PostgreSQLContainer"))
                .isFalse();
    }

    @Test
    void itsSourceCompilesAgainstItWithTheBuildsWarningsAsErrors(@TempDir Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("the JDK's compiler").isNotNull();
        List<String> arguments = new ArrayList<>(List.of(
                "--release",
                "17",
                "-proc:none",
                System.getProperty("compiler.lint"),
                "-Werror",
                "-classpath",
                classpath(),
                "-d",
                classes.toString()));
        try (Stream<Path> sources = Files.list(Path.of(System.getProperty("container.sources")))) {
            sources.map(Path::toString).filter(name -> name.endsWith(".java")).forEach(arguments::add);
        }
        assertThat(arguments).anyMatch(argument -> argument.endsWith("ContainerServer.java"));
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();

        int status = javac.run(null, diagnostics, diagnostics, arguments.toArray(String[]::new));

        assertThat(status).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(classes.resolve("org/isolatedpg/core/internal/server/container/ContainerServer.class"))
                .isRegularFile();
    }

    @Test
    void startsAContainerOrSaysAtOnceThatItNeedsADockerEngine() {
        ServerSettings settings = Configuration.from(
                        List.of(ConfigSource.of("test", Map.of(ConfigKeys.SERVER_MODE, "container"))))
                .serverSettings();
        // Docker cannot be hidden from Testcontainers (it also tries the fixed socket paths), so where an engine
        // answers this takes the longer way, and the container must start.
        if (DockerClientFactory.instance().isDockerAvailable()) {
            try (PostgresServer server = PostgresServer.start(settings)) {
                assertThat(server.description()).startsWith("container PostgreSQL (postgres:18) on ");
                assertThat(server.majorVersion()).isEqualTo(18);
            }
        } else {
            assertThatThrownBy(() -> PostgresServer.start(settings))
                    .isInstanceOf(IsolatedPostgresException.class)
                    .hasMessage("'isolatedpg.server.mode' = container needs a Docker engine, and none answers here."
                            + " Start one, or use 'isolatedpg.server.mode' = embedded or external.");
        }
    }

    /** This execution's classpath, less what does not exist (a module without main classes), which javac warns of. */
    private static String classpath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> Files.exists(Path.of(entry)))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static boolean onClasspath(String className) {
        try {
            Class.forName(className, false, TestcontainersVersionTests.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
