package org.isolatedpg.core.internal.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.internal.source.TemplateSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spec that names no source finds one the way Spring Boot does; a source whose library is missing says so. */
class SourcesTests {

    @TempDir
    Path classpath;

    @Test
    void takesFlywaysDefaultLocationFirst() throws IOException {
        write("db/migration/V1__init.sql");
        write("db/changelog/db.changelog-master.yaml");

        assertThat(automatic())
                .singleElement()
                .extracting(TemplateSource::description)
                .isEqualTo("Flyway locations classpath:db/migration (from the default: classpath:db/migration exists)");
    }

    @Test
    void takesSpringBootsDefaultChangelogWhenThereIsNoFlywayLocation() throws IOException {
        write("db/changelog/db.changelog-master.xml");

        assertThat(automatic())
                .singleElement()
                .extracting(TemplateSource::description)
                .isEqualTo("Liquibase changelog classpath:db/changelog/db.changelog-master.xml (from the default:"
                        + " classpath:db/changelog/db.changelog-master.xml exists)");
    }

    @Test
    void buildsAnEmptyDatabaseWhenThereIsNeither() throws IOException {
        write("db/other/V1__init.sql");

        assertThat(automatic()).isEmpty();
    }

    @Test
    void namesTheArtifactToAddWhenASourcesLibraryIsMissing() {
        assertThatThrownBy(() -> OptionalLibrary.require(
                        "Liquibase", "org.liquibase:liquibase-core (4.x)", "annotation on [Tests]", "liquibase.Absent"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("The template needs Liquibase (from annotation on [Tests]), which is not on the test"
                        + " classpath: liquibase.Absent is missing. Add the test dependency"
                        + " org.liquibase:liquibase-core (4.x).");
    }

    private List<TemplateSource> automatic() throws IOException {
        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {classpath.toUri().toURL()}, getClass().getClassLoader())) {
            return Sources.of(TemplateSpec.builder().build(), loader);
        }
    }

    private void write(String resource) throws IOException {
        Path file = classpath.resolve(resource);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "-- " + resource + "\n");
    }
}
