package org.isolatedpg.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.client.RestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@IsolatedPostgres
class RandomPortTests {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};

    @LocalServerPort
    int port;

    @Autowired
    TestRestTemplate rest;

    @Autowired
    WebTestClient web;

    @Autowired
    RestClient.Builder restClients;

    @Autowired
    JdbcTemplate jdbc;

    @RepeatedTest(4)
    void testRestTemplateRequestsAreServedFromTheTestsDatabase(TestDatabase database) {
        jdbc.update("insert into note values (nextval('note_seq'), 'mine')");

        Map<String, Object> where = rest.exchange("/notes/where", org.springframework.http.HttpMethod.GET, null, JSON)
                .getBody();

        assertThat(where).containsEntry("database", database.name()).containsEntry("notes", 1);
    }

    @Test
    void copiesOfTheTestRestTemplateAddTheHeaderToo(TestDatabase database) {
        Map<String, Object> where = rest.withBasicAuth("user", "secret")
                .exchange("/notes/where", org.springframework.http.HttpMethod.GET, null, JSON)
                .getBody();

        assertThat(where).containsEntry("database", database.name());
    }

    @RepeatedTest(3)
    void restClientWritesReachTheTestsDatabase() {
        RestClient client = restClients.baseUrl("http://localhost:" + port).build();

        client.post().uri("/notes").body("from a request").retrieve().toBodilessEntity();

        assertThat(jdbc.queryForObject("select count(*) from note", Long.class)).isEqualTo(1);
        assertThat(client.get().uri("/notes/where").retrieve().body(JSON)).containsEntry("notes", 1);
    }

    @RepeatedTest(3)
    void webTestClientRequestsAreServedFromTheTestsDatabase(TestDatabase database) {
        web.get()
                .uri("/notes/where")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.database")
                .isEqualTo(database.name());
    }

    @Test
    void aRequestNoTestSentFailsInsteadOfGuessingADatabase() throws IOException, InterruptedException {
        HttpClient plain =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/notes/where"))
                .timeout(Duration.ofSeconds(30))
                .build();

        // This test runs, so the request's thread could work for any test of the context: it must not pick one.
        HttpResponse<String> response = plain.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(500);
    }
}
