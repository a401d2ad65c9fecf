package io.faaspot.api.spot;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.ServerTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * API.md section 5 over real HTTP. No provider launches VMs here: a spot's IP is set by opening its
 * registration as a provider would, through {@link SpotRegistrations}.
 */
class SpotContractTest extends ServerTest {
  static final String IP = "127.0.1.5";
  static final String FORM = "application/x-www-form-urlencoded";

  @Autowired SpotRegistrations registrations;

  // ---------------------------------------------------------------- add

  @Test
  void addWithoutABodyAnswersTheIdOfACreateSpotTask() {
    // given
    var user = newUser("spot-add");

    // when
    var r = user.put("/api/spots/", null);

    // then
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).startsWith("\"");
    String id = r.json().asString();
    assertIsExecutionId(id);
    JsonNode task = execution(user, id);
    assertThat(task.get("name").asString()).isEqualTo("tasks.create_spot");
    assertThat(task.get("status").asString()).isIn("Pending", "Started", "Success");
    assertThat(spots(user)).hasSize(1);
  }

  @Test
  void addWithAnAvailabilityZoneAnswersTheTaskIdAndKeepsTheZone() {
    // given
    var user = newUser("spot-add-az");

    // when
    var r = user.put("/api/spots/", "{\"availability_zone\": \"x\"}");

    // then
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String id = r.json().asString();
    assertIsExecutionId(id);
    assertThat(execution(user, id).get("name").asString()).isEqualTo("tasks.create_spot");
    List<JsonNode> spots = spots(user);
    assertThat(spots).hasSize(1);
    assertThat(spots.getFirst().get("availability_zone").asString()).isEqualTo("x");
  }

  // ---------------------------------------------------------------- list / get

  @Test
  void listAnswersSpotObjectsWithIpAndCreated() {
    // given
    var user = newUser("spot-list");
    addSpot(user);
    addSpot(user);

    // when
    var r = user.get("/api/spots/");

    // then
    assertThat(r.status()).isEqualTo(200);
    JsonNode list = r.json();
    assertThat(list.isArray()).isTrue();
    assertThat(list.size()).isEqualTo(2);
    for (int i = 0; i < list.size(); i++) {
      JsonNode spot = list.get(i);
      assertThat(spot.has("ip")).isTrue();
      assertThat(Instant.parse(spot.get("created").asString())).isNotNull();
      assertThat(UUID.fromString(spot.get("id").asString())).isNotNull();
    }
  }

  @Test
  void listShowsOnlyTheCallersOwnSpots() {
    // given
    var owner = newUser("spot-owner");
    var other = newUser("spot-other");
    addSpot(owner);

    // when
    var r = other.get("/api/spots/");

    // then
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("[]");
  }

  @Test
  void getByIpAnswersThatSpot() {
    // given
    var user = newUser("spot-get");
    addSpot(user);
    String spotId = spotWithIp(user, IP);

    // when
    var r = user.get("/api/spots/" + IP);

    // then
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("ip").asString()).isEqualTo(IP);
    assertThat(r.json().get("id").asString()).isEqualTo(spotId);
    assertThat(user.get("/v1/spots/" + IP + "/").status()).isEqualTo(200);
  }

  @Test
  void getByAnUnknownIpIs404() {
    // given
    var user = newUser("spot-get-404");
    spotWithIp(user, IP);

    // when
    var r = user.get("/api/spots/10.9.9.9");

    // then
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.message()).isNotBlank();
  }

  @Test
  void anotherAccountsSpotIsUnknown() {
    // given
    var owner = newUser("spot-ip-owner");
    spotWithIp(owner, IP);
    var stranger = newUser("spot-ip-stranger");

    // when
    var get = stranger.get("/api/spots/" + IP);
    var remove = stranger.delete("/api/spots/" + IP);
    var replace = stranger.get("/api/spots/replace/" + IP);

    // then
    assertThat(get.status()).isEqualTo(404);
    assertThat(remove.status()).isEqualTo(404);
    assertThat(replace.status()).isEqualTo(404);
    assertThat(owner.get("/api/spots/" + IP).status()).isEqualTo(200);
  }

  // ---------------------------------------------------------------- update workers

  @Test
  void patchWithWorkerBoundsAsStringsAnswersTheNewSettings() {
    // given
    var user = newUser("spot-workers");

    // when
    var r = user.patch("/api/spots/", "{\"min_workers\": \"1\", \"max_workers\": \"3\"}");

    // then
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("min_workers").asInt()).isEqualTo(1);
    assertThat(r.json().get("max_workers").asInt()).isEqualTo(3);
    assertThat(workers(user)).containsExactly(1, 3);
  }

  @Test
  void patchWithOneBoundKeepsTheOther() {
    // given
    var user = newUser("spot-workers-one");
    user.patch("/api/spots/", "{\"min_workers\": \"2\", \"max_workers\": \"3\"}");

    // when
    var r = user.patch("/api/spots", "{\"max_workers\": \"6\"}");

    // then
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("min_workers").asInt()).isEqualTo(2);
    assertThat(r.json().get("max_workers").asInt()).isEqualTo(6);
    assertThat(workers(user)).containsExactly(2, 6);
  }

  @Test
  void minWorkersAboveMaxWorkersIs400AndChangesNothing() {
    // given
    var user = newUser("spot-workers-bad");
    user.patch("/api/spots/", "{\"min_workers\": \"1\", \"max_workers\": \"3\"}");

    // when
    var r = user.patch("/api/spots/", "{\"min_workers\": \"5\", \"max_workers\": \"3\"}");
    var onlyMin = user.patch("/api/spots/", "{\"min_workers\": \"4\"}");

    // then
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).isNotBlank();
    assertThat(onlyMin.status()).isEqualTo(400);
    assertThat(workers(user)).containsExactly(1, 3);
  }

  // ---------------------------------------------------------------- refresh_ip

  @Test
  void refreshIpOfAllAsJsonAnswersTheIdOfARefreshIpTask() {
    // given
    var user = newUser("spot-refresh");
    addSpot(user);

    // when
    var r = user.patch("/api/spots/", "{\"refresh_ip\": \"all\"}");

    // then
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String id = r.json().asString();
    assertIsExecutionId(id);
    JsonNode task = execution(user, id);
    assertThat(task.get("name").asString()).isEqualTo("tasks.refresh_ip");
    assertThat(task.get("args").get("refresh_ip").asString()).isEqualTo("all");
  }

  @Test
  void refreshIpOfAllFormEncodedAnswersTheIdOfARefreshIpTask() {
    // given
    var user = newUser("spot-refresh-form");
    addSpot(user);

    // when
    var r =
        user.http()
            .send("PATCH", "/api/spots/", user.auth(), "refresh_ip=all", "Content-type", FORM);

    // then
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String id = r.json().asString();
    assertIsExecutionId(id);
    assertThat(execution(user, id).get("name").asString()).isEqualTo("tasks.refresh_ip");
  }

  @Test
  void refreshIpOfOneSpotByItsIpAnswersATaskAboutThatSpot() {
    // given
    var user = newUser("spot-refresh-ip");
    String spotId = spotWithIp(user, IP);

    // when
    var json = user.patch("/api/spots/", "{\"refresh_ip\": \"" + IP + "\"}");
    var form =
        user.http()
            .send("PATCH", "/api/spots", user.auth(), "refresh_ip=" + IP, "Content-type", FORM);

    // then
    for (Http.Response r : List.of(json, form)) {
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      JsonNode task = execution(user, r.json().asString());
      assertThat(task.get("name").asString()).isEqualTo("tasks.refresh_ip");
      assertThat(task.get("spot").asString()).isEqualTo(spotId);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"json", "form"})
  void refreshIpWithoutSpotsIs404AndCreatesNoTask(String encoding) {
    // given
    var user = newUser("spot-refresh-none");

    // when
    var r =
        encoding.equals("json")
            ? user.patch("/api/spots/", "{\"refresh_ip\": \"all\"}")
            : user.http()
                .send("PATCH", "/api/spots/", user.auth(), "refresh_ip=all", "Content-type", FORM);

    // then
    assertThat(r.status()).as(r.body()).isEqualTo(404);
    assertThat(r.message()).isNotBlank();
    assertThat(user.get("/api/executions/?include_completed=True").body()).isEqualTo("[]");
  }

  @Test
  void refreshIpOfAnUnknownIpIs404() {
    // given
    var user = newUser("spot-refresh-unknown");
    spotWithIp(user, IP);

    // when
    var r = user.patch("/api/spots/", "{\"refresh_ip\": \"10.9.9.9\"}");

    // then
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.message()).isNotBlank();
  }

  // ---------------------------------------------------------------- remove

  @Test
  void deleteWithoutAnIpRemovesOneSpotAndThenIs404WhenNoneAreLeft() {
    // given
    var user = newUser("spot-remove");
    addSpot(user);
    addSpot(user);

    // when
    var first = user.delete("/api/spots/");

    // then
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(first.body()).startsWith("\"");
    JsonNode task = execution(user, first.json().asString());
    assertThat(task.get("name").asString()).isEqualTo("tasks.remove_spot");
    assertThat(task.get("status").asString()).isEqualTo("Success");
    assertThat(spots(user)).hasSize(1);

    // and when
    var second = user.delete("/api/spots");
    var third = user.delete("/api/spots/");

    // then
    assertThat(second.status()).isEqualTo(200);
    assertThat(spots(user)).isEmpty();
    assertThat(third.status()).isEqualTo(404);
    assertThat(third.message()).isNotBlank();
  }

  @Test
  void removingASpotCancelsItsUnfinishedCreateTask() {
    // given
    var user = newUser("spot-remove-task");
    String createTask = addSpot(user);

    // when
    var r = user.delete("/api/spots/");

    // then
    assertThat(r.status()).isEqualTo(200);
    assertThat(execution(user, createTask).get("status").asString()).isEqualTo("Cancelled");
  }

  @Test
  void deleteByIpRemovesThatSpot() {
    // given
    var user = newUser("spot-remove-ip");
    addSpot(user);
    String spotId = spotWithIp(user, IP);

    // when
    var r = user.delete("/api/spots/" + IP);

    // then
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode task = execution(user, r.json().asString());
    assertThat(task.get("name").asString()).isEqualTo("tasks.remove_spot");
    assertThat(task.get("status").asString()).isEqualTo("Success");
    assertThat(spots(user)).hasSize(1);
    assertThat(spots(user).getFirst().get("id").asString()).isNotEqualTo(spotId);
    assertThat(user.get("/api/spots/" + IP).status()).isEqualTo(404);
    assertThat(user.delete("/api/spots/" + IP).status()).isEqualTo(404);
  }

  // ---------------------------------------------------------------- replace

  @Test
  void replaceByIpAnswersTheIdOfAReplaceTask() {
    // given
    var user = newUser("spot-replace");
    String spotId = spotWithIp(user, IP);

    // when
    var r = user.get("/api/spots/replace/" + IP);

    // then
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode body = r.json();
    String id = body.isString() ? body.asString() : body.get("uuid").asString();
    assertIsExecutionId(id);
    JsonNode task = execution(user, id);
    assertThat(task.get("name").asString()).isEqualTo("tasks.replace_spot");
    assertThat(task.get("spot").asString()).isEqualTo(spotId);
  }

  @Test
  void replaceOfAnUnknownIpIs404() {
    // given
    var user = newUser("spot-replace-404");
    spotWithIp(user, IP);

    // when
    var r = user.get("/api/spots/replace/10.9.9.9");

    // then
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.message()).isNotBlank();
  }

  // ---------------------------------------------------------------- path spellings

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/api/spots/", "/api/spots", "/v1/spots/", "/v1/spots"})
  void everySpotCallAnswersUnderEachPrefixWithAndWithoutTrailingSlash(String path) {
    // given
    var user = newUser("spot-paths");
    String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    String slash = path.endsWith("/") ? "/" : "";

    // when / then
    assertThat(user.put(path, null).status()).isEqualTo(200);
    String spotId = spots(user).getFirst().get("id").asString();
    registrations.openRegistration(UUID.fromString(spotId), "i-test", IP);
    assertThat(user.get(path).json().get(0).get("ip").asString()).isEqualTo(IP);
    assertThat(user.get(base + "/" + IP + slash).status()).isEqualTo(200);
    assertThat(user.patch(path, "{\"max_workers\": \"5\"}").status()).isEqualTo(200);
    assertThat(user.patch(path, "{\"refresh_ip\": \"all\"}").status()).isEqualTo(200);
    assertThat(user.get(base + "/replace/" + IP + slash).status()).isEqualTo(200);
    // The reconciler asks for the replacement spot first; wait for it so what follows is fixed.
    java.time.Instant deadline = java.time.Instant.now().plusSeconds(20);
    while (spots(user).size() < 2) {
      assertThat(java.time.Instant.now()).as("the replacement spot appears").isBefore(deadline);
      Thread.onSpinWait();
    }
    assertThat(user.delete(base + "/" + IP + slash).status()).isEqualTo(200);
    assertThat(user.delete(path).status()).as("removes the replacement").isEqualTo(200);
    assertThat(user.delete(path).status()).isEqualTo(404);
  }

  // ---------------------------------------------------------------- helpers

  /** Adds a spot; returns the id of its create task. */
  static String addSpot(Http.User user) {
    var r = user.put("/api/spots/", null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().asString();
  }

  /** Adds a spot and gives it that IP, as a provider launching its VM does; returns its id. */
  String spotWithIp(Http.User user, String ip) {
    List<String> before = spots(user).stream().map(s -> s.get("id").asString()).toList();
    addSpot(user);
    String spotId =
        spots(user).stream()
            .map(s -> s.get("id").asString())
            .filter(id -> !before.contains(id))
            .findFirst()
            .orElseThrow();
    registrations.openRegistration(UUID.fromString(spotId), "i-test", ip);
    return spotId;
  }

  static List<JsonNode> spots(Http.User user) {
    var r = user.get("/api/spots/");
    assertThat(r.status()).isEqualTo(200);
    List<JsonNode> all = new ArrayList<>();
    for (int i = 0; i < r.json().size(); i++) {
      all.add(r.json().get(i));
    }
    return all;
  }

  List<Integer> workers(Http.User user) {
    return jdbc.sql("SELECT min_workers, max_workers FROM accounts WHERE username = :u")
        .param("u", user.username())
        .query((rs, i) -> List.of(rs.getInt(1), rs.getInt(2)))
        .single();
  }

  static JsonNode execution(Http.User user, String id) {
    var r = user.get("/api/executions/" + id);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static void assertIsExecutionId(String id) {
    assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  }
}
