package io.faaspot.api.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.spot.SpotRegistrations;
import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.ServerTest;
import io.faaspot.api.testing.TestAgent;
import io.faaspot.api.testing.TestFunctions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class MetricsTest extends ServerTest {
  @Autowired SpotRegistrations registrations;
  @Autowired Metrics metrics;

  @Test
  void afterAFewRunsThePrometheusEndpointShowsCountersGaugesAndTheLatencyHistogram() {
    Http.User user = newUser("metrics");
    TestFunctions.deploy(user, "measured");
    TestAgent agent = TestAgent.start(user, registrations);
    for (int i = 0; i < 3; i++) {
      TestFunctions.runAsync(user, "measured", "{}");
    }
    String failing = TestFunctions.runAsync(user, "measured", "{}");
    TestFunctions.runAsync(user, "measured", "{}");
    List<JsonNode> calls = new java.util.ArrayList<>();
    agent.claim(10, 1).get("calls").forEach(calls::add);
    assertThat(calls).hasSize(5);
    for (JsonNode c : calls) {
      agent.results(
          c.get("execution_id").asString().equals(failing)
              ? TestAgent.failure(c, "Traceback: boom")
              : TestAgent.success(c, "ok", ""));
    }
    agent.heartbeat();
    metrics.refreshGauges();

    Http.Response scrape = admin().get("/actuator/prometheus");

    assertThat(scrape.status()).isEqualTo(200);
    String text = scrape.body();
    assertThat(text)
        .containsPattern(
            "faaspot_executions_total\\{deployment=\"measured\",kind=\"tasks.run_deployment\",status=\"Success\"} 4\\.0")
        .containsPattern(
            "faaspot_executions_total\\{deployment=\"measured\",kind=\"tasks.run_deployment\",status=\"Failure\"} 1\\.0")
        .containsPattern(
            "faaspot_invocation_seconds_bucket\\{deployment=\"measured\",status=\"Success\",le=\"\\+Inf\"} 4")
        .containsPattern(
            "faaspot_invocation_seconds_count\\{deployment=\"measured\",status=\"Success\"} 4")
        .contains("faaspot_queue_depth")
        .contains("faaspot_queue_oldest_pending_seconds")
        .containsPattern("faaspot_spots\\{state=\"Ready\"} [1-9]")
        .contains("faaspot_environment_builds_total");
  }

  @Test
  void theQueuesWritesInTheDatabaseAreTimed() {
    Http.User user = newUser("timed-writes");
    TestFunctions.deploy(user, "timed");
    TestAgent agent = TestAgent.start(user, registrations);
    Map<String, Double> before = writeCounts();

    for (int i = 0; i < 3; i++) {
      TestFunctions.runAsync(user, "timed", "{}");
    }
    List<JsonNode> calls = new java.util.ArrayList<>();
    agent.claim(10, 1).get("calls").forEach(calls::add);
    assertThat(calls).hasSize(3);
    for (JsonNode c : calls) {
      agent.results(TestAgent.success(c, "ok", ""));
    }

    Map<String, Double> after = writeCounts();
    assertThat(after.get("insert") - before.get("insert")).isGreaterThanOrEqualTo(3);
    assertThat(after.get("claim") - before.get("claim")).isGreaterThanOrEqualTo(1);
    assertThat(after.get("complete") - before.get("complete")).isGreaterThanOrEqualTo(3);
    assertThat(admin().get("/actuator/prometheus").body())
        .containsPattern(
            "faaspot_queue_write_seconds_bucket\\{write=\"insert\",le=\"(2\\.5E-4|0\\.00025)\"}")
        .containsPattern("faaspot_queue_write_seconds_sum\\{write=\"complete\"} [0-9.E-]+");
  }

  /** faaspot_queue_write_seconds_count by write, as scraped now. */
  private Map<String, Double> writeCounts() {
    Map<String, Double> counts = new java.util.HashMap<>();
    Matcher m =
        Pattern.compile("faaspot_queue_write_seconds_count\\{write=\"(\\w+)\"} (\\S+)")
            .matcher(admin().get("/actuator/prometheus").body());
    while (m.find()) {
      counts.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    assertThat(counts).containsOnlyKeys("insert", "claim", "complete");
    return counts;
  }

  @Test
  void onlyTheAdminMayScrape() {
    Http.User user = newUser("no-metrics");

    assertThat(user.get("/actuator/prometheus").status()).isEqualTo(403);
    assertThat(http().send("GET", "/actuator/prometheus", null, null).status()).isEqualTo(401);
  }

  @Test
  void livenessAndReadinessAnswerWithoutCredentials() {
    assertThat(http().send("GET", "/actuator/health/liveness", null, null).body()).contains("UP");
    assertThat(http().send("GET", "/actuator/health/readiness", null, null).body()).contains("UP");
  }

  @Test
  void outputsAndLogsOverTheLimitsAreCutWithANote() {
    Http.User user = newUser("caps");
    TestFunctions.deploy(user, "big");
    TestAgent agent = TestAgent.start(user, registrations);
    String id = TestFunctions.runAsync(user, "big", "{}");
    JsonNode call = agent.claimOne(1);

    agent.results(TestAgent.success(call, "x".repeat(2_000_000), "y".repeat(100_000)));

    JsonNode e = user.get("/api/executions/" + id).json();
    assertThat(e.get("status").asString()).isEqualTo("Success");
    assertThat(e.get("output").asString())
        .startsWith("[output of")
        .contains("over the limit of 1048576")
        .hasSizeLessThan(2000);
    assertThat(e.get("logs").asString())
        .hasSizeLessThan(70_000)
        .contains("more characters of logs dropped");
  }

  @Autowired DeleteOldExecutions retention;

  @Test
  void finishedExecutionsOlderThanTheRetentionAreDeletedAndNothingElse() {
    Http.User user = newUser("retention");
    TestFunctions.deploy(user, "old");
    String old = TestFunctions.runAsync(user, "old", "{}");
    String recent = TestFunctions.runAsync(user, "old", "{}");
    String pendingButOld = TestFunctions.runAsync(user, "old", "{}");
    jdbc.sql(
            "UPDATE executions SET status = 'Success', created_at = now() - interval '30 days',"
                + " finished_at = now() - interval '30 days' WHERE id = :id::uuid")
        .param("id", old)
        .update();
    jdbc.sql("UPDATE executions SET status = 'Success', finished_at = now() WHERE id = :id::uuid")
        .param("id", recent)
        .update();
    jdbc.sql("UPDATE executions SET created_at = now() - interval '30 days' WHERE id = :id::uuid")
        .param("id", pendingButOld)
        .update();

    int deleted = retention.deleteOnce();

    assertThat(deleted).isGreaterThanOrEqualTo(1);
    assertThat(user.get("/api/executions/" + old).status()).isEqualTo(404);
    assertThat(user.get("/api/executions/" + recent).status()).isEqualTo(200);
    assertThat(user.get("/api/executions/" + pendingButOld).status())
        .as("unfinished ones stay")
        .isEqualTo(200);
  }
}
