package org.isolatedpg.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's code is documentation that runs: every Java block in it is preceded by a marker naming a tagged region
 * of a test here ({@code <!-- snippet: GettingStartedExample.java#minimal -->}), and must equal that region, less its
 * indentation.
 */
class ReadmeSnippetsTests {

    private static final Path README = Path.of("..", "README.md");
    /** This module's tests, and the Spring example's. */
    private static final List<Path> EXAMPLES =
            List.of(Path.of("src", "test", "java"), Path.of("..", "examples-spring", "src", "test", "java"));

    private static final Pattern BLOCK =
            Pattern.compile("(?m)^<!-- snippet: ([\\w.]+)#([\\w-]+) -->\\n+```java\\n(.*?)^```$", Pattern.DOTALL);

    @Test
    void everyJavaBlockInTheReadmeIsATaggedRegionOfAnExample() throws IOException {
        String readme = Files.readString(README);
        long javaBlocks = readme.lines().filter(line -> line.equals("```java")).count();
        List<String> checked = new ArrayList<>();
        Matcher block = BLOCK.matcher(readme);
        while (block.find()) {
            String region = region(source(block.group(1)), block.group(2));
            assertThat(block.group(3))
                    .as("the README's snippet %s#%s", block.group(1), block.group(2))
                    .isEqualTo(region);
            checked.add(block.group(1) + "#" + block.group(2));
        }
        assertThat(checked).as("snippets checked").hasSize((int) javaBlocks).isNotEmpty();
    }

    private static String source(String fileName) throws IOException {
        for (Path examples : EXAMPLES) {
            try (Stream<Path> files = Files.walk(examples)) {
                Optional<Path> file = files.filter(
                                path -> path.getFileName().toString().equals(fileName))
                        .findFirst();
                if (file.isPresent()) {
                    return Files.readString(file.get());
                }
            }
        }
        throw new AssertionError("No example named " + fileName + " under " + EXAMPLES);
    }

    /** The lines between {@code // tag::name[]} and {@code // end::name[]}, with their common indentation removed. */
    private static String region(String source, String tag) {
        List<String> lines = source.lines().toList();
        int start = indexOf(lines, "// tag::" + tag + "[]");
        int end = indexOf(lines, "// end::" + tag + "[]");
        List<String> body = lines.subList(start + 1, end);
        int indent = body.stream()
                .filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length())
                .min()
                .orElse(0);
        StringBuilder text = new StringBuilder();
        for (String line : body) {
            text.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return text.toString();
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        throw new AssertionError("No line " + marker);
    }
}
