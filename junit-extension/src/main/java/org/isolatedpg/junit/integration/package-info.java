/**
 * How other isolated-postgres modules, such as isolated-postgres-spring, join the JUnit extension's run. Not an API
 * for tests: it may change in any release.
 */
package org.isolatedpg.junit.integration;
