package org.isolatedpg.core.internal.liquibase;

import java.util.logging.Level;
import liquibase.logging.Logger;
import liquibase.logging.core.AbstractLogService;
import liquibase.logging.core.AbstractLogger;
import org.isolatedpg.core.internal.source.PasswordLiterals;
import org.slf4j.LoggerFactory;

/**
 * Liquibase's logging, sent to SLF4J under Liquibase's own logger names ({@code liquibase.…}), quietly: what it logs at
 * INFO and above goes to DEBUG, the rest to TRACE. A build that fails throws with the failing changeset and statement,
 * so nothing needs to be louder; without this Liquibase logs every changeset it runs through java.util.logging to the
 * console. Password literals in the statements it logs are redacted.
 */
final class Slf4jLogService extends AbstractLogService {

    @Override
    public int getPriority() {
        return PRIORITY_SPECIALIZED;
    }

    @Override
    @SuppressWarnings("rawtypes") // Liquibase's signature
    public Logger getLog(Class clazz) {
        return new Slf4jLogger(LoggerFactory.getLogger(clazz == null ? "liquibase" : clazz.getName()));
    }

    private static final class Slf4jLogger extends AbstractLogger {

        private final org.slf4j.Logger logger;

        Slf4jLogger(org.slf4j.Logger logger) {
            this.logger = logger;
        }

        @Override
        public void log(Level level, String message, Throwable e) {
            if (level == null || level == Level.OFF) {
                return;
            }
            boolean loud = level.intValue() >= Level.INFO.intValue();
            if (loud ? !logger.isDebugEnabled() : !logger.isTraceEnabled()) {
                return;
            }
            String text = PasswordLiterals.redact(message);
            Throwable failure = e == null ? null : PasswordLiterals.scrub(e);
            if (loud) {
                logger.debug(text, failure);
            } else {
                logger.trace(text, failure);
            }
        }
    }
}
