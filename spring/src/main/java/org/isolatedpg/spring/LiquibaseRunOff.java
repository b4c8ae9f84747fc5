package org.isolatedpg.spring;

import java.lang.reflect.Method;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ReflectionUtils;

/**
 * Keeps Boot's Liquibase run off the clones, whose template is migrated already: {@code SpringLiquibase} beans stay
 * (code may use them) but do not update. Found by name, as Liquibase may not be on the classpath.
 */
final class LiquibaseRunOff implements BeanPostProcessor {

    private static final String SPRING_LIQUIBASE = "liquibase.integration.spring.SpringLiquibase";

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
        for (Class<?> type = bean.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(SPRING_LIQUIBASE)) {
                Method shouldRun = ReflectionUtils.findMethod(type, "setShouldRun", boolean.class);
                if (shouldRun != null) {
                    ReflectionUtils.invokeMethod(shouldRun, bean, false);
                }
                break;
            }
        }
        return bean;
    }
}
