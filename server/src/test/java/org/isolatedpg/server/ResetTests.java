package org.isolatedpg.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.isolatedpg.server.internal.cli.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IntegreSQL's reset, on a cluster of its own: it drops every client-built template of the server it runs on. */
class ResetTests {

    @TempDir
    static Path data;

    @Test
    void resetDiscardsEveryTemplateAndItsTestDatabases() throws Exception {
        Map<String, String> ownCluster = Map.of("ISOLATEDPG_EMBEDDED_DATA_DIRECTORY", data.toString());
        try (RunningServer server = Servers.start(ownCluster)) {
            Api api = new Api(server.url());
            Api.Reply admin = IntegresqlApiTests.ready(api, "one");
            IntegresqlApiTests.ready(api, "two");
            Api.Reply test = api.testDatabase("one");
            api.initialize("three");
            assertThat(Servers.databases(admin, "ipg_tpl_")).hasSize(2);

            assertThat(api.send("DELETE", "/api/v1/admin/templates", null).status())
                    .isEqualTo(204);
            assertThat(api.testDatabase("one").status()).isEqualTo(404);
            assertThat(api.testDatabase("two").status()).isEqualTo(404);
            assertThat(api.finalizeTemplate("three").status()).isEqualTo(404);
            assertThat(Servers.databases(admin, "ipg_tpl_")).isEmpty();
            assertThat(Servers.databases(admin, "ipg_build_")).isEmpty();
            assertThat(Servers.databases(admin, test.database())).isEmpty();
            assertThat(api.send("GET", "/api/v1/templates", null).body()).isEqualTo("[]");
            assertThat(api.initialize("one").status()).as("built anew").isEqualTo(200);
        }
    }
}
