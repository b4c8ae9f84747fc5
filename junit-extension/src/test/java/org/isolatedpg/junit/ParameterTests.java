package org.isolatedpg.junit;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.postgresql.ds.PGSimpleDataSource;

class ParameterTests {

    @Test
    void leavesOtherParameterTypesToOtherResolvers() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(SubtypeTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        assertThat(IsolatedPostgresTestKit.failures(
                        results.testEvents().failed().list()))
                .singleElement(InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessage("No ParameterResolver registered for parameter [org.postgresql.ds.PGSimpleDataSource"
                        + " dataSource] in method [void org.isolatedpg.junit.ParameterTests$SubtypeTestCase"
                        + ".usesTheDatabase(org.postgresql.ds.PGSimpleDataSource)].");
    }

    @Test
    void refusesBeforeAllWithPerMethodIsolationAndSaysHowToShareADatabase() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(BeforeAllTestCase.class);

        assertThat(IsolatedPostgresTestKit.failures(
                        results.containerEvents().failed().list()))
                .singleElement(InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessage("Cannot inject [javax.sql.DataSource dataSource] into @BeforeAll method"
                        + " [org.isolatedpg.junit.ParameterTests$BeforeAllTestCase#setUp]: with per-method isolation"
                        + " a test database exists only while a test method runs. Use @IsolatedPostgres(isolation ="
                        + " Isolation.PER_CLASS) to share one database across the class, or take the parameter in a"
                        + " test method or a @BeforeEach method.");
    }

    @Test
    void refusesThePerClassInstancesConstructorWithPerMethodIsolation() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(PerClassConstructorTestCase.class);

        assertThat(IsolatedPostgresTestKit.failures(
                        results.containerEvents().failed().list()))
                .singleElement(InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessageStartingWith("Cannot inject [javax.sql.DataSource dataSource] into the constructor of"
                        + " [org.isolatedpg.junit.ParameterTests$PerClassConstructorTestCase]: with per-method"
                        + " isolation a test database exists only while a test method runs.");
    }

    @IsolatedPostgres(migrations = "classpath:db/library")
    static class SubtypeTestCase {

        @Test
        void usesTheDatabase(PGSimpleDataSource dataSource) {}
    }

    @IsolatedPostgres(migrations = "classpath:db/library")
    static class BeforeAllTestCase {

        @BeforeAll
        static void setUp(DataSource dataSource) {}

        @Test
        void usesTheDatabase(DataSource dataSource) {}
    }

    @IsolatedPostgres(migrations = "classpath:db/library")
    @TestInstance(Lifecycle.PER_CLASS)
    static class PerClassConstructorTestCase {

        PerClassConstructorTestCase(DataSource dataSource) {}

        @Test
        void usesTheDatabase() {}
    }
}
