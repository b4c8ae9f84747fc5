/**
 * Spring Boot tests on isolated databases. With isolated-postgres-spring on the test classpath, a test class that
 * carries {@code @IsolatedPostgres} and {@code @SpringBootTest} (or a slice such as {@code @DataJpaTest}) gets an
 * application context whose one {@code DataSource} routes each call to the database of the test running on that
 * thread. Nothing here is called by tests directly: Spring finds it through {@code META-INF/spring.factories} and
 * Spring Boot's auto-configuration.
 */
package org.isolatedpg.spring;
