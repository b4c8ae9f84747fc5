package org.isolatedpg.examples.spring.contexts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * The suite started exactly one application context per distinct configuration: isolated-postgres-spring gives every
 * test a database of its own without making Spring build a context per test class.
 *
 * <p>Why a test class, and how it comes last: a JUnit Platform listener sees the end of the run, but an exception it
 * throws fails nothing; a second Surefire execution would run in another JVM, which has none of this one's contexts.
 * A test class fails the build like any test. {@link Isolated @Isolated} keeps it off the other classes' threads, and
 * JUnit runs isolated classes once all concurrent siblings are done; {@link Order @Order} puts it after any other isolated
 * class ({@code junit.jupiter.testclass.order.default} is {@code OrderAnnotation}). Both are JUnit's behaviour rather than
 * its contract, so {@link #ranAfterEveryOtherTestClass()} checks the outcome against the test plan. Run alone (an IDE,
 * {@code -Dtest=...}), it has nothing to check and is skipped.
 */
@Isolated("counts the contexts every other test class started")
@Order(Integer.MAX_VALUE)
class ContextsPerConfigurationTests {

    /** The test classes that declare the same configuration, and so must share one context. */
    private static final List<Set<String>> SAME_CONFIGURATION = List.of(
            // @SpringBootTest: a mock web environment (@Transactional does not change the configuration)
            Set.of(
                    "OrderServiceTests",
                    "EachTestOwnsItsRowsTests",
                    "SequenceIdsTests",
                    "OrderConfirmationsTests",
                    "TransactionalOrderTests",
                    "DataSourceParameterTests",
                    "ShopApiMockMvcTests",
                    "SharedCustomerBaseTests",
                    "SharedCustomerBaseByJdbcTests",
                    "PlaceAnOrderTests"),
            // @ShopServerTest: a server on a random port
            Set.of("ShopApiRestClientTests", "ShopApiWebTestClientTests", "ShopApiTestRestTemplateTests"),
            Set.of("CatalogueRepositoryTests"), // @ShopJpaTest
            Set.of("SalesReportTests"), // @ShopJdbcTest
            Set.of("CatalogueByDataJdbcTests"), // @ShopDataJdbcTest
            Set.of("CatalogueByJooqTests")); // @ShopJooqTest

    @Test
    void ranAfterEveryOtherTestClass() {
        assertThat(TestPlanProgress.unfinishedOtherThan(getClass()))
                .as("test classes still running or not started when the contexts were counted")
                .isEmpty();
    }

    @Test
    void startedOneContextPerConfiguration() {
        assumeOtherClassesRan();
        Map<MergedContextConfiguration, List<Integer>> refreshes = ContextLog.refreshes();
        assertThat(refreshes)
                .as("contexts recorded while the other classes ran")
                .isNotEmpty();

        assertThat(refreshes.entrySet().stream()
                        .filter(configuration -> configuration.getValue().size() != 1)
                        .map(ContextsPerConfigurationTests::describe))
                .as("configurations that started more than one context; the run's contexts:%n%s", report())
                .isEmpty();
    }

    @Test
    void testClassesOfOneConfigurationSharedOneContext() {
        Map<String, Integer> contextOfClass = new HashMap<>();
        ContextLog.users().forEach((context, classes) -> classes.forEach(name -> contextOfClass.put(name, context)));
        assumeOtherClassesRan();
        assertThat(contextOfClass)
                .as("Spring test classes recorded while they ran")
                .isNotEmpty();

        assertThat(contextOfClass.keySet())
                .as("Spring test classes that ran, all of them declared in SAME_CONFIGURATION")
                .allMatch(name -> SAME_CONFIGURATION.stream().anyMatch(classes -> classes.contains(name)));
        assertThat(SAME_CONFIGURATION.stream()
                        .filter(classes -> classes.stream()
                                        .filter(contextOfClass::containsKey)
                                        .map(contextOfClass::get)
                                        .distinct()
                                        .count()
                                > 1))
                .as("test classes of one configuration that did not share a context; the run's contexts:%n%s", report())
                .isEmpty();
    }

    /**
     * Skips only where this class runs alone (an IDE, -Dtest=...): then there is nothing to count. In the suite the
     * other classes ran, and nothing recorded fails.
     */
    private void assumeOtherClassesRan() {
        assumeThat(TestPlanProgress.planned())
                .as("test classes other than this one planned in this run (none when it runs alone)")
                .anyMatch(name -> !name.equals(getClass().getName()));
    }

    private static String report() {
        return ContextLog.refreshes().entrySet().stream()
                .map(configuration -> "  " + describe(configuration))
                .collect(Collectors.joining(System.lineSeparator()));
    }

    /** "context(s) [n, ...] for the configuration of SomeTests, used by [[classes of n], ...]" */
    private static String describe(Map.Entry<MergedContextConfiguration, List<Integer>> configuration) {
        Map<Integer, List<String>> users = ContextLog.users();
        return "context(s) " + configuration.getValue() + " for the configuration of "
                + configuration.getKey().getTestClass().getSimpleName() + ", used by "
                + configuration.getValue().stream()
                        .map(number -> users.getOrDefault(number, List.of()))
                        .toList();
    }
}
