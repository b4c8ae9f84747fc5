package org.isolatedpg.examples.spring.orders;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;

public interface OrderRepository extends JpaRepository<PurchaseOrder, Long> {

    @EntityGraph(attributePaths = {"customer", "lines", "lines.product"})
    Optional<PurchaseOrder> findWithLinesById(long id);

    @EntityGraph(attributePaths = {"customer", "lines", "lines.product"})
    List<PurchaseOrder> findByCustomerIdOrderByPlacedAtDescIdDesc(long customerId);

    long countByStatus(OrderStatus status);
}
