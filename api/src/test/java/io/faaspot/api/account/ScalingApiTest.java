package io.faaspot.api.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.ServerTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/account/scaling}: the caller's autoscaling limits, and what they do to add/remove.
 */
class ScalingApiTest extends ServerTest {

  @Test
  void anAccountStartsWithAutoscalingOffAndServerLimits() {
    Http.User user = newUser("scaling-defaults");

    Http.Response r = user.get("/api/account/scaling");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode s = r.json();
    assertThat(s.get("autoscale").asBoolean()).isFalse();
    assertThat(s.get("min_spots").asInt()).isZero();
    assertThat(s.get("max_spots").asInt()).isEqualTo(20);
    assertThat(s.get("idle_minutes").asDouble()).isEqualTo(10.0);
    assertThat(s.get("budget_per_day").isNull()).isTrue();
    // As written, not at the database column's scale (10.000).
    assertThat(r.body()).contains("\"idle_minutes\":10,");
  }

  @Test
  void aPatchChangesTheFieldsItNamesAndKeepsTheOthersAlsoUnderV1() {
    Http.User user = newUser("scaling-patch");

    Http.Response first =
        user.patch(
            "/api/account/scaling",
            "{\"autoscale\": true, \"max_spots\": 3, \"idle_minutes\": 0.05,"
                + " \"budget_per_day\": \"2.5\"}");
    Http.Response second = user.patch("/v1/account/scaling/", "{\"min_spots\": \"1\"}");

    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(second.status()).as(second.body()).isEqualTo(200);
    Http.Response read = user.get("/v1/account/scaling");
    // Read back as the PATCH wrote them, not at the columns' scale (0.050, 2.5000).
    assertThat(read.body()).contains("\"idle_minutes\":0.05,", "\"budget_per_day\":2.5}");
    JsonNode s = read.json();
    assertThat(s.get("autoscale").asBoolean()).isTrue();
    assertThat(s.get("min_spots").asInt()).isEqualTo(1);
    assertThat(s.get("max_spots").asInt()).isEqualTo(3);
    assertThat(s.get("idle_minutes").asDouble()).isEqualTo(0.05);
    assertThat(s.get("budget_per_day").asDouble()).isEqualTo(2.5);
    JsonNode cleared = user.patch("/api/account/scaling", "{\"budget_per_day\": null}").json();
    assertThat(cleared.get("budget_per_day").isNull()).isTrue();
  }

  @Test
  void badLimitsAreRefusedWithA400ThatSaysWhy() {
    Http.User user = newUser("scaling-bad");

    assertBad(user, "{\"min_spots\": 4, \"max_spots\": 2}", "must not be more than max_spots");
    assertBad(user, "{\"max_spots\": 1000}", "faaspot.spots.max-per-account");
    assertBad(user, "{\"min_spots\": -1}", "0 or more");
    assertBad(user, "{\"idle_minutes\": \"soon\"}", "idle_minutes must be a number");
    assertBad(user, "{\"budget_per_day\": -3}", "budget_per_day");
    assertBad(user, "{\"autoscale\": \"maybe\"}", "autoscale must be true or false");
    assertBad(user, "{\"max_spot\": 3}", "unknown field max_spot");
    assertBad(user, "{}", "expected any of");
    assertThat(user.get("/api/account/scaling").json().get("max_spots").asInt()).isEqualTo(20);
  }

  @Test
  void withAutoscalingOnAddAndRemoveMoveThePoolWithinTheLimits() {
    Http.User user = newUser("scaling-addrm");
    user.patch("/api/account/scaling", "{\"autoscale\": true, \"min_spots\": 1, \"max_spots\": 2}");

    Http.Response one = user.put("/api/spots/", null);
    Http.Response two = user.put("/api/spots/", null);
    Http.Response three = user.put("/api/spots/", null);
    Http.Response removeOne = user.delete("/api/spots/");
    Http.Response removeTwo = user.delete("/api/spots/");

    assertThat(one.status()).as(one.body()).isEqualTo(200);
    assertThat(two.status()).as(two.body()).isEqualTo(200);
    assertThat(three.status()).as(three.body()).isEqualTo(429);
    assertThat(three.message()).contains("max_spots = 2");
    assertThat(removeOne.status()).as(removeOne.body()).isEqualTo(200);
    assertThat(removeTwo.status()).as(removeTwo.body()).isEqualTo(409);
    assertThat(removeTwo.message()).contains("min_spots = 1");
  }

  @Test
  void withAutoscalingOffAddAndRemoveIgnoreTheLimits() {
    Http.User user = newUser("scaling-off");
    user.patch("/api/account/scaling", "{\"min_spots\": 0, \"max_spots\": 1}");

    assertThat(user.put("/api/spots/", null).status()).isEqualTo(200);
    assertThat(user.put("/api/spots/", null).status()).isEqualTo(200);
    assertThat(user.delete("/api/spots/").status()).isEqualTo(200);
    assertThat(user.delete("/api/spots/").status()).isEqualTo(200);
  }

  private static void assertBad(Http.User user, String body, String says) {
    Http.Response r = user.patch("/api/account/scaling", body);
    assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(400);
    assertThat(r.message()).as(body).contains(says);
    assertThat(r.json().has("error_code")).isTrue();
  }
}
