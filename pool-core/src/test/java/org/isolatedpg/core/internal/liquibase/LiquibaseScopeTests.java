package org.isolatedpg.core.internal.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import liquibase.Scope;
import liquibase.analytics.configuration.AnalyticsArgs;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.isolatedpg.core.internal.source.FingerprintInputs;
import org.junit.jupiter.api.Test;

/** The scope every Liquibase call runs in: no analytics, no console, no java.util.logging, nothing left behind. */
class LiquibaseScopeTests {

    private static final ClassLoader LOADER = LiquibaseScopeTests.class.getClassLoader();

    @Test
    void turnsOffAnalyticsAndSendsConsoleOutputToTheLog() throws Exception {
        List<Object> seen = LiquibaseScope.run(
                LOADER,
                () -> new ClassLoaderResourceAccessor(LOADER),
                () -> List.of(
                        AnalyticsArgs.ENABLED.getCurrentValue(),
                        Scope.getCurrentScope().getUI(),
                        Thread.currentThread().getName()));

        assertThat(seen.get(0)).isEqualTo(Boolean.FALSE);
        assertThat(seen.get(1)).isInstanceOf(LoggerUIService.class);
        assertThat((String) seen.get(2)).startsWith("isolatedpg-liquibase-");
    }

    @Test
    void printsNothingAndLogsNothingThroughJavaUtilLogging() throws Exception {
        // Creating a root scope logs which services Liquibase found, at FINE, before any scope of ours exists to
        // send that elsewhere: once per root, and below java.util.logging's default level. Runs reuse roots.
        LiquibaseScope.run(LOADER, () -> new ClassLoaderResourceAccessor(LOADER), () -> null);
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (records) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger liquibase = Logger.getLogger("liquibase");
        Level level = liquibase.getLevel();
        liquibase.setLevel(Level.ALL);
        liquibase.addHandler(handler);
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            AppChangelog.source().fingerprint(new FingerprintInputs(FingerprintInputs.newSha256()), LOADER);
            AppChangelog.source().appendOnlySteps(LOADER);
        } finally {
            System.setOut(out);
            liquibase.removeHandler(handler);
            liquibase.setLevel(level);
        }

        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(records).extracting(LogRecord::getMessage).isEmpty();
    }
}
