package org.isolatedpg.examples.spring.contexts;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * The application contexts this JVM's test run refreshed, the configuration (Spring's context cache key) each was made
 * for, and the test classes that used each. Written from any test thread, hence one lock.
 */
final class ContextLog {

    private static final Map<ApplicationContext, Integer> NUMBERS = new IdentityHashMap<>();
    private static final Map<MergedContextConfiguration, List<Integer>> REFRESHES = new LinkedHashMap<>();
    private static final Map<Integer, TreeSet<String>> USERS = new LinkedHashMap<>();

    private ContextLog() {}

    static synchronized void refreshed(MergedContextConfiguration configuration, ApplicationContext context) {
        REFRESHES.computeIfAbsent(configuration, key -> new ArrayList<>()).add(number(context));
    }

    static synchronized void used(Class<?> testClass, ApplicationContext context) {
        USERS.computeIfAbsent(number(context), key -> new TreeSet<>()).add(testClass.getSimpleName());
    }

    /** For each configuration, the numbers of the contexts refreshed for it: one each, if the cache did its job. */
    static synchronized Map<MergedContextConfiguration, List<Integer>> refreshes() {
        Map<MergedContextConfiguration, List<Integer>> copy = new LinkedHashMap<>();
        REFRESHES.forEach((configuration, numbers) -> copy.put(configuration, List.copyOf(numbers)));
        return copy;
    }

    /** For each context number, the test classes that ran against it. */
    static synchronized Map<Integer, List<String>> users() {
        Map<Integer, List<String>> copy = new LinkedHashMap<>();
        USERS.forEach((number, classes) -> copy.put(number, List.copyOf(classes)));
        return copy;
    }

    private static int number(ApplicationContext context) {
        return NUMBERS.computeIfAbsent(context, key -> NUMBERS.size() + 1);
    }
}
