package io.faaspot.api.spot;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.Http;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Autoscaling on real local spots: pools that follow the queue from zero and back to zero, a daily
 * budget that holds launches, and scale-down that cuts no call. A local spot costs 1 an hour here,
 * so that budgets are round numbers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AutoscaleLocalTest {
  static final String ADMIN_TOKEN = "fst_autoscale-local-test-admin-token";
  static final Duration WAIT = Duration.ofSeconds(120);

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) throws IOException {
    LocalSpotsTest.localSpots(r, LocalSpotsTest.dataDir("faaspot-autoscale"), ADMIN_TOKEN);
    r.add("faaspot.costs.local-hourly-price", () -> "1.0");
    r.add("faaspot.autoscale.queue-age", () -> "5s");
    r.add("faaspot.costs.metrics-interval", () -> "500ms");
  }

  Http.User newUser(String prefix) {
    return new Http("http://127.0.0.1:" + port).newUser(ADMIN_TOKEN, prefix);
  }

  static <T> T await(String what, Supplier<T> read, java.util.function.Predicate<T> done) {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      T value = read.get();
      if (done.test(value)) {
        return value;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(what + " did not happen in time; last seen: " + value);
      }
      LocalSpotsTest.pause();
    }
  }

  static void scaling(Http.User user, String body) {
    Http.Response r = user.patch("/api/account/scaling", body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  int liveSpots(Http.User user) {
    return jdbc.sql(
            "SELECT count(*) FROM spots s JOIN accounts a ON a.id = s.account_id"
                + " WHERE a.username = :u AND s.state <> 'Terminated'")
        .param("u", user.username())
        .query(Integer.class)
        .single();
  }

  static List<String> statuses(Http.User user, List<String> ids) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += 500) {
      String body = Http.JSON.writeValueAsString(ids.subList(i, Math.min(ids.size(), i + 500)));
      for (JsonNode e : user.post("/api/executions/bulk", body).json()) {
        out.add(e.get("status").asString());
      }
    }
    return out;
  }

  String prometheus() {
    return new Http("http://127.0.0.1:" + port)
        .send("GET", "/actuator/prometheus", "Token " + ADMIN_TOKEN, null)
        .body();
  }

  @Test
  void aBurstFromZeroLaunchesAtMostMaxSpotsRunsEveryCallAndScalesBackToZero() {
    Http.User user = newUser("burst");
    LocalSpotsTest.deploy(user, "hello", LocalSpotsTest.HELLO, "", "", null);
    scaling(
        user, "{\"autoscale\": true, \"min_spots\": 0, \"max_spots\": 3, \"idle_minutes\": 0.05}");
    assertThat(user.get("/api/spots/").json()).isEmpty();

    // From zero: the call waits in the queue while a spot is launched for it.
    Instant first = Instant.now();
    Http.Response sync = user.get("/api/sync/deployments/hello/rpc/?name=zero");
    Duration fromZero = Duration.between(first, Instant.now());
    StringBuilder bulk = new StringBuilder("[");
    for (int i = 0; i < 1000; i++) {
      bulk.append(i == 0 ? "" : ",").append("{\"name\": \"u").append(i).append("\"}");
    }
    Instant burst = Instant.now();
    Http.Response ids = user.post("/api/deployments/hello/bulk_rpc/", bulk.append("]").toString());
    List<String> idList = new ArrayList<>();
    ids.json().forEach(id -> idList.add(id.asString()));
    int[] most = {0};
    await(
        "every call of the burst to finish",
        () -> {
          most[0] = Math.max(most[0], liveSpots(user));
          return statuses(user, idList);
        },
        s -> s.stream().allMatch(x -> Set.of("Success", "Failure", "Cancelled").contains(x)));
    Duration burstTime = Duration.between(burst, Instant.now());

    assertThat(sync.status()).as(sync.body()).isEqualTo(200);
    assertThat(sync.json().asString()).isEqualTo("Hello zero");
    assertThat(statuses(user, idList)).hasSize(1000).containsOnly("Success");
    assertThat(most[0]).as("spots at once").isBetween(2, 3);
    await(
        "the pool to scale back to zero", () -> user.get("/api/spots/").json().size(), n -> n == 0);
    System.out.printf(
        "autoscale figures (local): first call to result from zero %d ms; 1000 calls in %d ms on"
            + " at most %d spots%n",
        fromZero.toMillis(), burstTime.toMillis(), most[0]);
  }

  @Test
  void aBudgetHoldsLaunchesAtItsLimitTheCallsWaitAndRunOnceItIsRaised() {
    Http.User user = newUser("budget");
    LocalSpotsTest.deploy(user, "sleep", LocalSpotsTest.SLEEP, "", "", null);
    // 1 an hour a spot and an hour of lookahead: 1.5 pays for one spot, not two.
    scaling(
        user, "{\"autoscale\": true, \"min_spots\": 0, \"max_spots\": 3, \"budget_per_day\": 1.5}");
    List<String> calls = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      calls.add(LocalSpotsTest.id(user.get("/api/deployments/sleep/rpc/?sec=1")));
    }

    JsonNode held =
        await(
            "a spot held by the budget",
            () -> {
              for (JsonNode s : user.get("/api/spots/").json()) {
                if (s.hasNonNull("held_reason")) {
                  return s;
                }
              }
              return null;
            },
            s -> s != null);
    assertThat(held.get("state").asString()).isEqualTo("Requested");
    assertThat(held.get("held_reason").asString()).contains("budget_per_day 1.5");
    assertThat(
            user.get("/api/spots/")
                .json()
                .valueStream()
                .filter(s -> !s.get("state").asString().equals("Requested"))
                .count())
        // Not "every spot without a held_reason": a spot autoscaling has just requested has none
        // until the launcher has looked at it.
        .as("spots launched within the budget")
        .isEqualTo(1);
    String metrics = prometheus();
    assertThat(metrics)
        .contains("faaspot_spots_launches_refused_total{account=\"" + user.username() + "\"");

    scaling(user, "{\"budget_per_day\": 100}");

    await(
        "every call to run",
        () -> statuses(user, calls),
        s -> s.stream().allMatch(x -> x.equals("Success")));
    assertThat(
            user.get("/api/spots/").json().valueStream().filter(s -> s.hasNonNull("held_reason")))
        .isEmpty();
    JsonNode today = user.get("/api/account/costs").json().get(29);
    assertThat(today.get("spend").asDouble()).as(today.toString()).isPositive();
    await(
        "the spend gauge",
        this::prometheus,
        m -> m.contains("faaspot_spend_today{account=\"" + user.username() + "\"}"));
  }

  @Test
  void aSpotPastItsIdleTimeIsDrainedOnlyOnceItsRunningCallHasFinished() {
    Http.User user = newUser("drain");
    LocalSpotsTest.deploy(user, "sleep", LocalSpotsTest.SLEEP, "", "", null);
    scaling(
        user, "{\"autoscale\": true, \"min_spots\": 0, \"max_spots\": 1, \"idle_minutes\": 0.02}");

    // The call runs three times the idle time (1.2 s): the spot has work all along.
    String call = LocalSpotsTest.id(user.get("/api/deployments/sleep/rpc/?sec=4"));
    List<String> statesWhileRunning = new ArrayList<>();
    JsonNode done =
        await(
            "the call to finish",
            () -> {
              JsonNode e = user.get("/api/executions/" + call).json();
              if (e.get("status").asString().equals("Started")) {
                user.get("/api/spots/")
                    .json()
                    .forEach(s -> statesWhileRunning.add(s.get("state").asString()));
              }
              return e;
            },
            e -> Set.of("Success", "Failure", "Cancelled").contains(e.get("status").asString()));

    assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("Success");
    assertThat(done.get("attempts").asInt()).isEqualTo(1);
    assertThat(statesWhileRunning).isNotEmpty().containsOnly("Ready");
    await("the idle spot to go", () -> user.get("/api/spots/").json().size(), n -> n == 0);
  }

  @Test
  void minSpotsKeepsSpotsWarmWithNoWorkAtAll() {
    Http.User user = newUser("warm");

    scaling(
        user, "{\"autoscale\": true, \"min_spots\": 1, \"max_spots\": 2, \"idle_minutes\": 0.01}");

    JsonNode ready =
        await(
            "the warm spot",
            () -> user.get("/api/spots/").json(),
            l -> l.size() == 1 && l.get(0).get("state").asString().equals("Ready"));
    // Ten idle times (0.6 s each) later, it is still the one spot, ready.
    Instant until = Instant.now().plusSeconds(6);
    while (Instant.now().isBefore(until)) {
      JsonNode now = user.get("/api/spots/").json();
      assertThat(now).hasSize(1);
      assertThat(now.get(0).get("id").asString()).isEqualTo(ready.get(0).get("id").asString());
      assertThat(now.get(0).get("state").asString()).isEqualTo("Ready");
      LocalSpotsTest.pause();
    }
  }
}
