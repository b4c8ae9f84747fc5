package org.isolatedpg.spring;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.ClientRequest;

/** Makes the context's {@code WebTestClient} add the running test's {@link TestDatabaseHeader header}. */
final class WebTestClientHeaders implements BeanPostProcessor {

    private final ContextDatabases databases;

    WebTestClientHeaders(ContextDatabases databases) {
        this.databases = databases;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (bean instanceof WebTestClient client) {
            // The filter runs where the exchange is subscribed: on the test's thread, which WebTestClient blocks.
            return client.mutate()
                    .filter((request, next) -> next.exchange(databases
                            .currentToken()
                            .map(token -> ClientRequest.from(request)
                                    .header(TestDatabaseHeader.NAME, token)
                                    .build())
                            .orElse(request)))
                    .build();
        }
        return bean;
    }
}
