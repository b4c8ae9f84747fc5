/**
 * The example Spring Boot application that isolated-postgres-spring's example tests run against: nothing in it knows
 * about the tests.
 */
package org.isolatedpg.examples.spring;
