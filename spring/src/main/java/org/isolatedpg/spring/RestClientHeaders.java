package org.isolatedpg.spring;

import java.lang.reflect.Method;
import java.util.List;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * Makes the context's {@code TestRestTemplate}, {@code RestTemplateBuilder}, {@code RestTestClient} and every
 * {@code RestClient.Builder} it hands out add the running test's {@link TestDatabaseHeader header}, so that the
 * embedded web server serves the request from that test's database. The header is added to any request such a
 * client sends while a test runs, to the embedded server or elsewhere; elsewhere it means nothing. Types that moved in
 * Boot 4 or are newer than Boot 3.5 are found by name.
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
            return builder.requestInterceptor(interceptor);
        }
        return switch (kind(bean)) {
            case "TestRestTemplate" -> {
                // Made from the context's RestTemplateBuilder where it has one (below), so that copies such as
                // withBasicAuth(...) keep the interceptor; this covers a template made without.
                if (invoke(bean, "getRestTemplate") instanceof RestTemplate template
                        && !template.getInterceptors().contains(interceptor)) {
                    template.getInterceptors().add(interceptor);
                }
                yield bean;
            }
            // Boot's RestTemplateBuilder (moved in Boot 4): immutable, so the bean becomes a copy with the interceptor.
            case "RestTemplateBuilder" -> invoke(bean, "additionalInterceptors", List.of(interceptor));
            // Spring Framework 7's RestTestClient, which Boot 4 configures for the embedded server.
            case "RestTestClient" -> invoke(invoke(invoke(bean, "mutate"), "requestInterceptor", interceptor), "build");
            default -> bean;
        };
    }

    /** The simple name of the type among those above that the bean is, or its own. */
    private static String kind(Object bean) {
        for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(bean.getClass())) {
            if (type.getName().equals("org.springframework.test.web.servlet.client.RestTestClient")) {
                return type.getSimpleName();
            }
        }
        return bean.getClass().getSimpleName();
    }

    /** Calls a public method found by name and argument types, for types that moved or are newer than Boot 3.5. */
    private static Object invoke(Object target, String name, Object... arguments) {
        for (Method method : target.getClass().getMethods()) {
            if (method.getName().equals(name) && matches(method.getParameterTypes(), arguments)) {
                ReflectionUtils.makeAccessible(method); // public, but maybe of a class that is not
                return ReflectionUtils.invokeMethod(method, target, arguments);
            }
        }
        throw new IllegalStateException(
                "isolated-postgres: " + target.getClass().getName() + " has no method " + name + " to add the header "
                        + TestDatabaseHeader.NAME + " with; please report it");
    }

    private static boolean matches(Class<?>[] types, Object[] arguments) {
        if (types.length != arguments.length) {
            return false;
        }
        for (int i = 0; i < types.length; i++) {
            if (!types[i].isInstance(arguments[i])) {
                return false;
            }
        }
        return true;
    }
}
