package io.faaspot.api.spot;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.MotoEc2;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The autoscaler's launch path on EC2 (moto), from zero: a call with no spot makes the server
 * launch a spot instance for it, the call runs there once the VM's agent boots (the test plays the
 * boot, as in {@link Ec2SpotsTest}), and the idle instance is terminated afterwards.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AutoscaleEc2Test {
  static final String ADMIN_TOKEN = "fst_autoscale-ec2-test-admin-token";
  static final String CLUSTER = "autoscale-" + UUID.randomUUID().toString().substring(0, 8);

  @LocalServerPort int port;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) throws IOException {
    MotoEc2.server(r, "faaspot-autoscale-ec2", ADMIN_TOKEN, CLUSTER);
    r.add("faaspot.ec2.instance-types", () -> "t3.micro");
    r.add("faaspot.spots.heartbeat-timeout", () -> "6s");
    r.add("faaspot.spots.drain-timeout", () -> "20s");
    r.add("faaspot.queue.lease", () -> "6s");
    r.add("faaspot.queue.agent-heartbeat", () -> "1s");
    r.add("faaspot.api.sync-wait", () -> "60s");
  }

  @AfterAll
  static void stopAgents() {
    Ec2SpotsTest.AGENTS.forEach(Process::destroyForcibly);
  }

  @Test
  void aCallWithNoSpotLaunchesAnInstanceRunsThereAndTheIdleInstanceIsTerminated()
      throws IOException {
    Http.User user = new Http("http://127.0.0.1:" + port).newUser(ADMIN_TOKEN, "ec2-zero");
    Ec2SpotsTest.deploy(user, "hello", Ec2SpotsTest.HELLO);
    Http.Response set =
        user.patch(
            "/api/account/scaling",
            "{\"autoscale\": true, \"min_spots\": 0, \"max_spots\": 2, \"idle_minutes\": 0.05}");
    assertThat(set.status()).as(set.body()).isEqualTo(200);

    Instant first = Instant.now();
    String call = Ec2SpotsTest.id(user.get("/api/deployments/hello/rpc/?name=ec2"));
    JsonNode launched = Ec2SpotsTest.awaitSpot(user, s -> !s.get("instance_id").isNull());
    Duration toLaunch = Duration.between(first, Instant.now());
    Ec2SpotsTest.bootAgent(launched.get("instance_id").asString());
    JsonNode done = Ec2SpotsTest.awaitFinal(user, call);
    Duration toResult = Duration.between(first, Instant.now());

    assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("Success");
    assertThat(done.get("output").asString()).isEqualTo("Hello ec2");
    assertThat(user.get("/api/spots/").json()).hasSize(1);
    assertThat(Ec2SpotsTest.tags(launched.get("instance_id").asString()))
        .containsEntry(
            io.faaspot.scheduler.spot.Ec2SpotProvider.TAG_SPOT, launched.get("id").asString());
    Ec2SpotsTest.await(
        "the idle instance to be terminated",
        () -> Ec2SpotsTest.state(launched.get("instance_id").asString()),
        s -> s.equals("terminated") || s.equals("shutting-down"));
    // The instance goes first, then the spot's row (FinishDraining).
    Ec2SpotsTest.await(
        "the pool to be empty", () -> user.get("/api/spots/").json().size(), n -> n == 0);
    JsonNode today = user.get("/api/account/costs").json().get(29);
    assertThat(today.get("on_demand").asDouble()).isPositive();
    System.out.printf(
        "autoscale figures (moto): first call to instance launched %d ms, to result %d ms (the"
            + " agent booted by the test at once)%n",
        toLaunch.toMillis(), toResult.toMillis());
  }
}
