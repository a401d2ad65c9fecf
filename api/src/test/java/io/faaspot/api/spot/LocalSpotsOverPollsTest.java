package io.faaspot.api.spot;

import static io.faaspot.api.spot.LocalSpotsTest.HELLO;
import static io.faaspot.api.spot.LocalSpotsTest.addSpotAndWait;
import static io.faaspot.api.spot.LocalSpotsTest.awaitFinal;
import static io.faaspot.api.spot.LocalSpotsTest.deploy;
import static io.faaspot.api.spot.LocalSpotsTest.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.Http;
import io.faaspot.scheduler.spot.SpotProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The agents' other way to take calls: with the stream turned off (as when a proxy refuses the
 * WebSocket upgrade), real agents long-poll over HTTP and send results by HTTP, and functions run
 * the same.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LocalSpotsOverPollsTest {
  static final String ADMIN_TOKEN = "fst_local-spots-polls-test-admin-token";
  static Path data;

  @LocalServerPort int port;
  @Autowired SpotProvider provider;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) throws IOException {
    data = LocalSpotsTest.dataDir("faaspot-local-polls");
    LocalSpotsTest.localSpots(r, data, ADMIN_TOKEN);
    r.add("faaspot.spots.local.agent-stream", () -> "false");
  }

  Http.User newUser(String prefix) {
    return new Http("http://127.0.0.1:" + port).newUser(ADMIN_TOKEN, prefix);
  }

  @Test
  void syncAsyncAndBulkCallsRunOverLongPolls() throws IOException {
    Http.User user = newUser("polls");
    deploy(user, "hello", HELLO, "", "", null);
    addSpotAndWait(user);

    Http.Response sync = user.get("/api/sync/deployments/hello/rpc/?name=poll");
    String asyncId = id(user.get("/api/deployments/hello/rpc/?name=later"));
    StringBuilder bulk = new StringBuilder("[");
    for (int i = 0; i < 200; i++) {
      bulk.append(i == 0 ? "" : ",").append("{\"name\": \"p").append(i).append("\"}");
    }
    JsonNode bulkIds = user.post("/api/deployments/hello/bulk_rpc/", bulk + "]").json();

    assertThat(sync.status()).as(sync.body()).isEqualTo(200);
    assertThat(sync.json().asString()).isEqualTo("Hello poll");
    assertThat(awaitFinal(user, asyncId).get("output").asString()).isEqualTo("Hello later");
    for (int i = 0; i < 200; i++) {
      JsonNode e = awaitFinal(user, bulkIds.get(i).asString());
      assertThat(e.get("status").asString()).isEqualTo("Success");
      assertThat(e.get("output").asString()).isEqualTo("Hello p" + i);
    }
    // and the agent said so in its log: no stream was opened
    try (Stream<Path> logs = Files.walk(data.resolve("spots"))) {
      String log =
          logs.filter(p -> p.getFileName().toString().equals("agent.log"))
              .map(LocalSpotsOverPollsTest::read)
              .reduce("", String::concat);
      assertThat(log).contains("registered as spot").doesNotContain("go over the stream");
    }
  }

  @Test
  void aKilledAgentsCallStillCompletesOnAnotherSpot() {
    LocalSpotsTest.killedAgentsCallCompletesOnAnotherSpot(newUser("polls-kill"), provider);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
