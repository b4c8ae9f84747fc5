package org.isolatedpg.spring;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.core.Ordered;

/**
 * Serves a request to the embedded web server from the database of the test that sent it, named in the
 * {@link TestDatabaseHeader header}. First of all filters, so that security and other filters see it too.
 */
final class TestDatabaseFilter implements Filter, Ordered {

    private final ContextDatabases databases;

    TestDatabaseFilter(ContextDatabases databases) {
        this.databases = databases;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String token = request instanceof HttpServletRequest http ? http.getHeader(TestDatabaseHeader.NAME) : null;
        if (token == null) {
            chain.doFilter(request, response);
            return;
        }
        try (ContextDatabases.Rebinding ignored = databases.bindRequest(token)) {
            chain.doFilter(request, response);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
