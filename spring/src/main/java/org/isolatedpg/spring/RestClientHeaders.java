package org.isolatedpg.spring;

import java.lang.reflect.Method;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * Makes the context's {@code TestRestTemplate} and every {@code RestClient.Builder} it hands out add the running
 * test's {@link TestDatabaseHeader header}, so that the embedded web server serves the request from that test's
 * database. {@code TestRestTemplate} moved package in Boot 4, so it is found by name.
 */
final class RestClientHeaders implements BeanPostProcessor {

    private final ClientHttpRequestInterceptor interceptor;

    RestClientHeaders(ContextDatabases databases) {
        this.interceptor = (request, body, execution) -> {
            databases.currentToken().ifPresent(token -> request.getHeaders().set(TestDatabaseHeader.NAME, token));
            return execution.execute(request, body);
        };
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (bean instanceof RestClient.Builder builder) {
            builder.requestInterceptor(interceptor);
        } else if (bean.getClass().getSimpleName().equals("TestRestTemplate")) {
            Method getRestTemplate = ReflectionUtils.findMethod(bean.getClass(), "getRestTemplate");
            if (getRestTemplate != null
                    && ReflectionUtils.invokeMethod(getRestTemplate, bean) instanceof RestTemplate template) {
                template.getInterceptors().add(interceptor);
            }
        }
        return bean;
    }
}
