package org.isolatedpg.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.isolatedpg.core.ConfigKeys;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives every test its own real PostgreSQL database, cloned from a template built once from your Flyway migrations.
 *
 * <p>Put it on a test class (or on an annotation of your own) and take a {@link javax.sql.DataSource} or a
 * {@link org.isolatedpg.core.TestDatabase} parameter in test methods, {@code @BeforeEach} and {@code @AfterEach}
 * methods or the constructor ({@code @BeforeAll} too with {@link Isolation#PER_CLASS}):
 *
 * <pre>{@code
 * @IsolatedPostgres
 * class BookRepositoryTests {
 *     @Test
 *     void savesABook(DataSource dataSource) { ... }
 * }
 * }</pre>
 *
 * <p>Within one test every parameter resolves to the same database. After the test, pass or fail, its connections
 * are closed and the database is dropped and replaced in the background. The embedded PostgreSQL server starts with
 * the first test and stops at the end of the run.
 *
 * <p>Settings not given here come from JUnit configuration parameters ({@code junit-platform.properties},
 * {@code -D…}), then environment variables, then defaults; see {@link ConfigKeys}.
 *
 * @since 0.1
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(IsolatedPostgresExtension.class)
public @interface IsolatedPostgres {

    /**
     * Flyway locations of the migrations ({@code classpath:…}, {@code filesystem:…}). Empty means configuration key
     * {@value ConfigKeys#FLYWAY_LOCATIONS}, which defaults to {@code classpath:db/migration}.
     */
    String[] migrations() default {};

    /**
     * How long one database lives. {@link Isolation#DEFAULT} means configuration key {@value ConfigKeys#ISOLATION},
     * which defaults to {@link Isolation#PER_METHOD}.
     */
    Isolation isolation() default Isolation.DEFAULT;
}
