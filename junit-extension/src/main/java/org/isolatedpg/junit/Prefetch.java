package org.isolatedpg.junit;

import java.lang.reflect.Executable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.isolatedpg.core.TestDatabase;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Whether a class's database is worth preparing before its first test asks: the class (its superclasses, the classes
 * enclosing it) takes a {@link DataSource} or {@link TestDatabase} parameter somewhere, so a test will lease one, and
 * no Spring application context decides its schema (Spring's settings, read when the context starts, may name
 * another template than the annotation: preparing that one could be work for nothing).
 */
final class Prefetch {

    private static final String SPRING_EXTENSION = "org.springframework.test.context.junit.jupiter.SpringExtension";

    private Prefetch() {}

    static boolean worthIt(Class<?> testClass) {
        List<Class<?>> classes = new ArrayList<>();
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            for (Class<?> s = c; s != null && s != Object.class; s = s.getSuperclass()) {
                classes.add(s);
            }
        }
        if (classes.stream().anyMatch(Prefetch::springManaged)) {
            return false;
        }
        return classes.stream()
                .flatMap(c -> {
                    List<Executable> executables = new ArrayList<>(Arrays.asList(c.getDeclaredConstructors()));
                    executables.addAll(Arrays.asList(c.getDeclaredMethods()));
                    return executables.stream();
                })
                .flatMap(executable -> Arrays.stream(executable.getParameterTypes()))
                .anyMatch(type -> type == DataSource.class || type == TestDatabase.class);
    }

    private static boolean springManaged(Class<?> c) {
        return AnnotationSupport.findRepeatableAnnotations(c, ExtendWith.class).stream()
                .flatMap(extendWith -> Arrays.stream(extendWith.value()))
                .anyMatch(extension -> extension.getName().equals(SPRING_EXTENSION));
    }
}
