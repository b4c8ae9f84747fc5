package org.isolatedpg.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** What the benchmark prints: a Markdown table of measurements, one of targets (met/MISSED), and the same as JSON. */
final class Report {

    private final Map<String, Object> results = new LinkedHashMap<>();
    private final StringBuilder table = new StringBuilder();
    private final List<String> targets = new ArrayList<>();

    Report() {
        line("| measurement | value | ratio |");
        line("|---|---|---|");
    }

    /** A row of the measurements table, written whole: {@code | name | value | ratio |}. */
    void line(String text) {
        table.append(text).append('\n');
    }

    /** A result for the JSON file only; the table's rows are written with {@link #line}. */
    void put(String name, Object value) {
        results.put(name, value);
    }

    void target(String name, boolean met, String measured) {
        targets.add("| " + name + " | " + measured + " | " + (met ? "met" : "MISSED") + " |");
        results.put("target: " + name, Map.of("measured", measured, "met", met));
    }

    void print(Path target) throws Exception {
        String report = "## isolated-postgres benchmark\n\n"
                + "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
                + System.getProperty("java.version") + "; " + results.get("server") + ".\n\n"
                + table + "\n| target | measured | result |\n|---|---|---|\n" + String.join("\n", targets) + "\n";
        System.out.println(report);
        Files.writeString(target.resolve("benchmark-results.md"), report);
        Files.writeString(target.resolve("benchmark-results.json"), json(results));
    }

    private static String json(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream()
                    .map(entry -> json(String.valueOf(entry.getKey())) + ": " + json(entry.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value instanceof Double d && (d.isNaN() || d.isInfinite())
                    ? "null"
                    : String.format(Locale.ROOT, "%s", value);
        }
        return "\"" + String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
