package org.isolatedpg.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.isolatedpg.examples.spring.customers.Customer;
import org.isolatedpg.examples.spring.customers.Customers;
import org.isolatedpg.examples.spring.orders.Confirmation;
import org.isolatedpg.examples.spring.orders.OrderAlreadyCancelledException;
import org.isolatedpg.examples.spring.orders.OrderConfirmations;
import org.isolatedpg.examples.spring.orders.OrderItem;
import org.isolatedpg.examples.spring.orders.OrderService;
import org.isolatedpg.examples.spring.orders.PurchaseOrder;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * {@code @Async} work started by a test runs on Boot's task executor, on another thread, and still reaches the test's own
 * database: the executor's task decorator carries the test along.
 */
@SpringBootTest
@IsolatedPostgres
class OrderConfirmationsTests {

    private static final long TIMEOUT_SECONDS = 30;

    @Autowired
    OrderConfirmations confirmations;

    @Autowired
    OrderService orders;

    @Autowired
    Customers customers;

    @Autowired
    @Qualifier("applicationTaskExecutor")
    ThreadPoolTaskExecutor executor;

    Customer ada;

    @BeforeEach
    void registerACustomer() {
        ada = customers.register("Ada Lovelace", "ada@example.org");
    }

    @Test
    void aConfirmationIssuedInTheBackgroundIsRecordedInThisTestsDatabase() throws Exception {
        PurchaseOrder order = orders.place(ada.getId(), List.of(new OrderItem("KB-101", 1)));
        long tasksBefore = executor.getThreadPoolExecutor().getTaskCount();

        Confirmation confirmation = confirmations.confirm(order.getId()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(executor.getThreadPoolExecutor().getTaskCount()).isGreaterThan(tasksBefore);
        assertThat(confirmation.reference()).isEqualTo("SHOP-%08d".formatted(order.getId()));
        assertThat(confirmations.find(order.getId())).contains(confirmation);
    }

    @Test
    void manyConfirmationsAtOnceAllLandHere() throws Exception {
        List<PurchaseOrder> placed = IntStream.range(0, 12)
                .mapToObj(i -> orders.place(ada.getId(), List.of(new OrderItem("CB-404", 1))))
                .toList();

        List<CompletableFuture<Confirmation>> pending = placed.stream()
                .map(order -> confirmations.confirm(order.getId()))
                .toList();
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(confirmations.count()).isEqualTo(12);
        assertThat(pending)
                .extracting(CompletableFuture::join)
                .extracting(Confirmation::orderId)
                .containsExactlyInAnyOrderElementsOf(
                        placed.stream().map(PurchaseOrder::getId).toList());
    }

    @Test
    void aRefusalInTheBackgroundReachesTheCaller() {
        PurchaseOrder order = orders.place(ada.getId(), List.of(new OrderItem("MS-202", 1)));
        orders.cancel(order.getId());

        assertThatThrownBy(() -> confirmations.confirm(order.getId()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(OrderAlreadyCancelledException.class);
        assertThat(confirmations.count()).isZero();
    }
}
