package org.isolatedpg.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The run's store is the launcher session's where JUnit has one (5.13 and later), and the root's on JUnit 5.12. */
class RunStoreTests {

    @Test
    void findsTheLauncherSessionsStoreExactlyWhereThisJunitHasOne() {
        String version = Test.class.getPackage().getImplementationVersion();
        String[] parts = version.split("[.-]");
        boolean hasLauncherSessionStore =
                Integer.parseInt(parts[0]) > 5 || (Integer.parseInt(parts[0]) == 5 && Integer.parseInt(parts[1]) >= 13);

        assertThat(RunStore.sharedAcrossRequests()).as("JUnit %s", version).isEqualTo(hasLauncherSessionStore);
    }
}
