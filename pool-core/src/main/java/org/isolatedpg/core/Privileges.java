package org.isolatedpg.core;

/**
 * Which role a test connects to its clone as ({@value ConfigKeys#DATASOURCE_PRIVILEGES}).
 *
 * @since 0.1
 */
public enum Privileges {
    /**
     * A login role of the clone's own, no superuser, that owns the clone and every object the migrations made: a test
     * may change or wreck its own database, but cannot reach another test's, alter or drop a template, or change the
     * server. Needs an admin role that is a superuser.
     */
    RESTRICTED,
    /** The server's admin role (a superuser on the embedded server): a test may do anything to the whole server. */
    ADMIN
}
