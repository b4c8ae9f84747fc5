package org.isolatedpg.examples.spring.orders;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.isolatedpg.examples.spring.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

/**
 * Issues order confirmations in the background, on Boot's task executor ({@code @Async}), and keeps them in the table
 * {@code order_confirmation}, with plain SQL.
 */
@Service
public class OrderConfirmations {

    private final JdbcClient jdbc;

    public OrderConfirmations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Confirms a placed order, once: confirming it again returns the first confirmation. */
    @Async
    public CompletableFuture<Confirmation> confirm(long orderId) {
        String status = jdbc.sql("SELECT status FROM purchase_order WHERE id = ?")
                .param(orderId)
                .query(String.class)
                .optional()
                .orElseThrow(() -> new NotFoundException("Order", orderId));
        if (!OrderStatus.PLACED.name().equals(status)) {
            throw new OrderAlreadyCancelledException(orderId);
        }
        jdbc.sql("""
                        INSERT INTO order_confirmation (order_id, reference) VALUES (:order, :reference)
                        ON CONFLICT (order_id) DO NOTHING""")
                .param("order", orderId)
                .param("reference", "SHOP-%08d".formatted(orderId))
                .update();
        return CompletableFuture.completedFuture(find(orderId).orElseThrow());
    }

    public Optional<Confirmation> find(long orderId) {
        return jdbc.sql("SELECT order_id, reference, confirmed_at FROM order_confirmation WHERE order_id = ?")
                .param(orderId)
                .query((row, n) -> new Confirmation(
                        row.getLong(1), row.getString(2), row.getTimestamp(3).toInstant()))
                .optional();
    }

    public long count() {
        return jdbc.sql("SELECT count(*) FROM order_confirmation")
                .query(Long.class)
                .single();
    }
}
