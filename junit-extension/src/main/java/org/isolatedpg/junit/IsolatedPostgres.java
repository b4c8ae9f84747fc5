package org.isolatedpg.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.TemplateInitializer;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives every test its own real PostgreSQL database, cloned from a template built once from your schema: Flyway
 * migrations, a Liquibase changelog, SQL scripts or dumps, Java code, and fixtures on top.
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
 * <p>With no source named here or in configuration, the template is built from {@code db/migration} (Flyway) if it is
 * on the classpath, else from Spring Boot's default changelog {@code db/changelog/db.changelog-master.yaml} (or
 * {@code .yml}, {@code .xml}, {@code .json}, {@code .sql}; Liquibase), else each test gets an empty database.
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
     * Flyway locations of the migrations ({@code classpath:…}, {@code filesystem:…}; {@code classpath:} when there is
     * no prefix, as in Flyway). Empty means configuration key {@value ConfigKeys#FLYWAY_LOCATIONS}.
     */
    String[] migrations() default {};

    /**
     * A Liquibase changelog (XML, YAML, JSON or formatted SQL), such as
     * {@code classpath:db/changelog/db.changelog-master.yaml}. Empty means configuration key
     * {@value ConfigKeys#LIQUIBASE_CHANGELOG}; contexts, labels and parameters come from configuration. At most one of
     * this and {@link #migrations()}.
     */
    String liquibase() default "";

    /**
     * Plain SQL files or folders (a folder's {@code .sql} files in name order) run after the migrations, in the order
     * given; a plain-format {@code pg_dump} file is a script. Named like migration locations. Empty means configuration
     * key {@value ConfigKeys#SCRIPTS}.
     */
    String[] scripts() default {};

    /**
     * Java code run last against the template database. {@code TemplateInitializer.class} itself means configuration
     * key {@value ConfigKeys#INITIALIZER}.
     */
    Class<? extends TemplateInitializer> initializer() default TemplateInitializer.class;

    /**
     * SQL files applied on top of the finished template to make a child template, cached and shared like any
     * template: classes with the same base and the same fixtures share one. Empty means configuration key
     * {@value ConfigKeys#FIXTURES}.
     */
    String[] fixtures() default {};

    /**
     * How long one database lives. {@link Isolation#DEFAULT} means configuration key {@value ConfigKeys#ISOLATION},
     * which defaults to {@link Isolation#PER_METHOD}.
     */
    Isolation isolation() default Isolation.DEFAULT;
}
