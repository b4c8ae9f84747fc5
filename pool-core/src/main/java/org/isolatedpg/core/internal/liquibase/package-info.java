/**
 * Liquibase changelogs as template sources: the only package that sees Liquibase, an optional dependency that users
 * who name a changelog bring themselves. Not API.
 */
package org.isolatedpg.core.internal.liquibase;
