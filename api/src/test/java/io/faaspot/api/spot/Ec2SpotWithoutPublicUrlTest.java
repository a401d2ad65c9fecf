package io.faaspot.api.spot;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.MotoEc2;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * An operator who runs spots on EC2 and forgets faaspot.public-url: the spots are told to reach the
 * server at its loopback address and never register. The failed add says so, and what to set,
 * rather than only that the agent did not register. A real EC2 API emulator (moto) launches the
 * instance; nothing boots it, as nothing could reach the server from a real one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class Ec2SpotWithoutPublicUrlTest {
  static final String ADMIN_TOKEN = "fst_ec2-no-public-url-test-admin-token";

  @LocalServerPort int port;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) throws IOException {
    MotoEc2.server(
        r,
        "faaspot-ec2-no-url",
        ADMIN_TOKEN,
        "nourl-" + UUID.randomUUID().toString().substring(0, 8));
    r.add("faaspot.ec2.instance-types", () -> "t3.micro");
    r.add("faaspot.spots.registration-ttl", () -> "3s");
  }

  @Test
  void aSpotThatNeverRegistersFailsNamingTheLoopbackAddressAndTheSetting()
      throws InterruptedException {
    Http.User user = new Http("http://127.0.0.1:" + port).newUser(ADMIN_TOKEN, "no-public-url");

    Http.Response added = user.put("/api/spots/", null);
    assertThat(added.status()).as(added.body()).isEqualTo(200);
    String add = added.json().asString();
    Instant deadline = Instant.now().plusSeconds(60);
    JsonNode task = user.get("/api/executions/" + add).json();
    while (!Set.of("Success", "Failure").contains(task.get("status").asString())
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      task = user.get("/api/executions/" + add).json();
    }

    assertThat(task.get("status").asString()).as(task.toString()).isEqualTo("Failure");
    assertThat(task.get("output").asString())
        .contains("did not register within 3 s")
        .contains("told to reach this server at http://127.0.0.1:" + port)
        .contains("faaspot.public-url (FAASPOT_PUBLIC_URL) is not set");
  }
}
