package org.isolatedpg.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import org.isolatedpg.core.ConfigKeys;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** A fresh JVM running {@link StartupTests}: {@code <data directory> <schema directory>}. */
public final class StartupMain {

    private StartupMain() {}

    public static void main(String[] args) {
        TestExecutionListener engineStart = new TestExecutionListener() {
            @Override
            public void testPlanExecutionStarted(TestPlan testPlan) {
                System.out.println("ENGINE_STARTED " + System.currentTimeMillis());
            }
        };
        LauncherFactory.create()
                .execute(
                        LauncherDiscoveryRequestBuilder.request()
                                .selectors(selectClass(StartupTests.class))
                                .configurationParameters(Map.of(
                                        ConfigKeys.EMBEDDED_DATA_DIRECTORY,
                                        args[0],
                                        ConfigKeys.FLYWAY_LOCATIONS,
                                        "filesystem:" + args[1]))
                                .build(),
                        engineStart);
    }
}
