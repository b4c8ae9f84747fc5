package org.isolatedpg.examples.spring.catalogue;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface ProductRepository extends JpaRepository<Product, Long> {

    Optional<Product> findBySku(String sku);

    List<Product> findAllByOrderBySkuAsc();

    List<Product> findByStockLessThanOrderByStockAsc(int stock);
}
