package org.isolatedpg.examples.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.autoconfigure.jooq.JooqTest;

/** Boot's jOOQ slice (DataSource, DSLContext, Flyway), whose annotation Boot 4 moved: {@link JooqTest}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@JooqTest
public @interface ShopJooqTest {}
