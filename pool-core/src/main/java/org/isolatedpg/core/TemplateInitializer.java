package org.isolatedpg.core;

import javax.sql.DataSource;

/**
 * Java code that builds (part of) a template: schema from Hibernate or jOOQ, reference data from code. It runs last,
 * after the migrations and scripts, against the template database, once per fingerprint, and never again while the
 * template lives.
 *
 * <p>The class needs a public no-argument constructor. Its bytes and {@link #version()} are part of the template's
 * fingerprint, so editing the class rebuilds the template; code it calls in other classes is not, so when that code
 * changes what the template holds, change {@link #version()}.
 *
 * <pre>{@code
 * public class HibernateSchema implements TemplateInitializer {
 *     public void initialize(DataSource dataSource) {
 *         ... // e.g. Hibernate's SchemaManager, or jOOQ DDL, on dataSource
 *     }
 *     public String version() {
 *         return "entities-2026-11"; // change it when the entities change
 *     }
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface TemplateInitializer {

    /**
     * Builds into the template database. Connections from {@code dataSource} are the server's admin role's; close
     * them. Throw to fail the build: the half-built template is dropped and every test that needs it fails with the
     * exception.
     */
    void initialize(DataSource dataSource) throws Exception;

    /** A version of what the code builds, part of the fingerprint; change it when code outside this class changes. */
    default String version() {
        return "";
    }
}
