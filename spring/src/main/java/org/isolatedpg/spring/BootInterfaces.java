package org.isolatedpg.spring;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.isolatedpg.core.TestDatabase;
import org.springframework.util.ClassUtils;

/**
 * Spring Boot interfaces that moved between Boot 3 and Boot 4, implemented by proxies so that one jar serves both:
 * {@code JdbcConnectionDetails} (the running test's database) and {@code FlywayMigrationStrategy} (which keeps Boot's
 * Flyway run off the clones, whose template is migrated already).
 */
final class BootInterfaces {

    private static final List<String> JDBC_CONNECTION_DETAILS = List.of(
            "org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails",
            "org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails");

    private static final List<String> FLYWAY_MIGRATION_STRATEGY = List.of(
            "org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy",
            "org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy");

    private BootInterfaces() {}

    /** Boot's {@code JdbcConnectionDetails} type on this classpath, if there is one. */
    static Optional<Class<?>> jdbcConnectionDetails() {
        return first(JDBC_CONNECTION_DETAILS);
    }

    /** Boot's {@code FlywayMigrationStrategy} type on this classpath, if Boot's Flyway support is there. */
    static Optional<Class<?>> flywayMigrationStrategy() {
        return first(FLYWAY_MIGRATION_STRATEGY);
    }

    /** Connection details that always name the calling thread's database. */
    static Object connectionDetails(Class<?> type, Supplier<TestDatabase> database) {
        return proxy(type, (proxy, method, args) -> switch (method.getName()) {
            case "getJdbcUrl" -> database.get().jdbcUrl();
            case "getUsername" -> database.get().username();
            case "getPassword" -> database.get().password();
            case "toString" -> "isolated-postgres connection details of the running test's database";
            default -> objectOrDefault(proxy, method, args);
        });
    }

    /** A migration strategy that migrates nothing. */
    static Object noMigration(Class<?> type) {
        return proxy(type, (proxy, method, args) -> switch (method.getName()) {
            case "migrate" -> null;
            case "toString" -> "isolated-postgres: the template is migrated already";
            default -> objectOrDefault(proxy, method, args);
        });
    }

    private static Object proxy(Class<?> type, InvocationHandler handler) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object objectOrDefault(Object proxy, Method method, Object[] args) throws Throwable {
        return switch (method.getName()) {
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> {
                if (!method.isDefault()) {
                    throw new UnsupportedOperationException(
                            "isolated-postgres does not implement " + method + "; please report it");
                }
                yield InvocationHandler.invokeDefault(proxy, method, args);
            }
        };
    }

    private static Optional<Class<?>> first(List<String> names) {
        ClassLoader loader = BootInterfaces.class.getClassLoader();
        for (String name : names) {
            if (ClassUtils.isPresent(name, loader)) {
                return Optional.of(ClassUtils.resolveClassName(name, loader));
            }
        }
        return Optional.empty();
    }
}
