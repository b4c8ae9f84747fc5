package org.isolatedpg.examples.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.autoconfigure.jdbc.JdbcTest;

/** Boot's JDBC slice (DataSource, JdbcTemplate, JdbcClient, Flyway), whose annotation Boot 4 moved: {@link JdbcTest}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@JdbcTest
public @interface ShopJdbcTest {}
