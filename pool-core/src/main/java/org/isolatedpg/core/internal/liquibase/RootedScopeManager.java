package org.isolatedpg.core.internal.liquibase;

import liquibase.Scope;
import liquibase.ScopeManager;

/**
 * The scope manager of one Liquibase run's thread, starting from a root scope that run holds alone: an idle one from
 * an earlier run, or none, for Liquibase to create.
 */
final class RootedScopeManager extends ScopeManager {

    private Scope current;

    RootedScopeManager(Scope root) {
        this.current = root;
    }

    @Override
    public synchronized Scope getCurrentScope() {
        return current;
    }

    @Override
    protected synchronized void setCurrentScope(Scope scope) {
        current = scope;
    }

    @Override
    protected Scope init(Scope scope) {
        return scope;
    }
}
