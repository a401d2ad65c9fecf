package io.faaspot.api.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.ServerTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * API.md section 4 over real HTTP. No agent runs here: function calls stay {@code Pending}, and the
 * management tasks of deployments are the finished executions.
 */
class ExecutionContractTest extends ServerTest {
  static final String HELLO = "def main(args, context):\n    return \"Hello \" + args[\"name\"]\n";

  /** An account with deployment "hello": its finished create task and two pending calls. */
  record Fixture(Http.User user, String createTask, String runA, String runB) {}

  Fixture fixture(String prefix) {
    var user = newUser(prefix);
    String createTask = createDeployment(user, "hello");
    String a = run(user, "hello", "a");
    String b = run(user, "hello", "b");
    return new Fixture(user, createTask, a, b);
  }

  // ---------------------------------------------------------------- list

  @ParameterizedTest(name = "include_completed={0}")
  @ValueSource(strings = {"False", "false", "0"})
  void listWithoutCompletedShowsOnlyUnfinishedExecutions(String value) {
    // given
    var f = fixture("exe-running");

    // when
    var r = f.user().get("/api/executions/?include_completed=" + value);

    // then
    assertThat(r.status()).isEqualTo(200);
    JsonNode list = r.json();
    assertThat(list.isArray()).isTrue();
    assertThat(uuids(list)).containsExactlyInAnyOrder(f.runA(), f.runB());
    for (JsonNode e : items(list)) {
      assertThat(e.get("status").asString()).isEqualTo("Pending");
    }
  }

  @Test
  void listWithoutTheParameterShowsOnlyUnfinishedExecutions() {
    // given
    var f = fixture("exe-default");

    // when
    var r = f.user().get("/api/executions/");

    // then
    assertThat(r.status()).isEqualTo(200);
    assertThat(uuids(r.json())).containsExactlyInAnyOrder(f.runA(), f.runB());
  }

  @ParameterizedTest(name = "include_completed={0}")
  @ValueSource(strings = {"True", "true", "1"})
  void listWithCompletedShowsFinishedTasksToo(String value) {
    // given
    var f = fixture("exe-all");

    // when
    var r = f.user().get("/api/executions/?include_completed=" + value);

    // then
    assertThat(r.status()).isEqualTo(200);
    assertThat(uuids(r.json())).containsExactlyInAnyOrder(f.createTask(), f.runA(), f.runB());
    JsonNode create = byUuid(r.json(), f.createTask());
    assertThat(create.get("name").asString()).isEqualTo("tasks.create_deployment");
    assertThat(create.get("status").asString()).isEqualTo("Success");
  }

  @Test
  void listItemsCarryWhatTheClientPrints() {
    // given
    var f = fixture("exe-columns");

    // when
    var r = f.user().get("/api/executions/?include_completed=True");

    // then
    for (JsonNode e : items(r.json())) {
      assertThat(e.has("name")).isTrue();
      assertThat(e.has("status")).isTrue();
      assertThat(e.has("output")).isTrue();
      assertThat(e.get("uuid").asString()).hasSize(36);
      assertThat(Instant.parse(e.get("created").asString())).isNotNull();
    }
  }

  @Test
  void listFiltersByDeploymentName() {
    // given
    var f = fixture("exe-filter");
    createDeployment(f.user(), "other");
    String otherRun = run(f.user(), "other", "c");

    // when
    var hello = f.user().get("/api/executions/?include_completed=False&deployment=hello");
    var other = f.user().get("/api/executions/?include_completed=False&deployment=other");

    // then
    assertThat(hello.status()).isEqualTo(200);
    assertThat(uuids(hello.json())).containsExactlyInAnyOrder(f.runA(), f.runB());
    assertThat(uuids(other.json())).containsExactly(otherRun);
    for (JsonNode e : items(hello.json())) {
      assertThat(e.get("deployment").asString()).isEqualTo("hello");
    }
  }

  @Test
  void listFilteredByDeploymentWithCompletedIncludesItsTasks() {
    // given
    var f = fixture("exe-filter-all");
    createDeployment(f.user(), "other");
    run(f.user(), "other", "c");

    // when
    var r = f.user().get("/api/executions/?include_completed=True&deployment=hello");

    // then
    assertThat(uuids(r.json())).containsExactlyInAnyOrder(f.createTask(), f.runA(), f.runB());
  }

  @Test
  void listShowsOnlyTheCallersOwnExecutions() {
    // given
    fixture("exe-list-owner");
    var other = newUser("exe-list-other");

    // when
    var r = other.get("/api/executions/?include_completed=True");

    // then
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("[]");
  }

  // ---------------------------------------------------------------- get

  @Test
  void getAnswersTheExecutionObject() {
    // given
    var f = fixture("exe-get");

    // when
    var r = f.user().get("/api/executions/" + f.runA());

    // then
    assertThat(r.status()).isEqualTo(200);
    JsonNode e = r.json();
    assertThat(e.get("uuid").asString()).isEqualTo(f.runA());
    assertThat(e.get("name").asString()).isEqualTo("tasks.run_deployment");
    assertThat(e.get("status").asString()).isEqualTo("Pending");
    assertThat(e.has("output")).isTrue();
    assertThat(Instant.parse(e.get("created").asString())).isNotNull();
    assertThat(e.get("deployment").asString()).isEqualTo("hello");
    assertThat(e.get("args").get("name").asString()).isEqualTo("a");
    // A time-ordered UUID (version 7): it starts with the millisecond it was made in.
    UUID id = UUID.fromString(f.runA());
    assertThat(id.version()).isEqualTo(7);
    assertThat(Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16))
        .isCloseTo(Instant.parse(e.get("created").asString()), within(5, ChronoUnit.SECONDS));
  }

  @Test
  void getOfAFinishedTaskShowsItsOutput() {
    // given
    var f = fixture("exe-get-done");

    // when
    var r = f.user().get("/api/executions/" + f.createTask());

    // then
    JsonNode e = r.json();
    assertThat(e.get("status").asString()).isEqualTo("Success");
    assertThat(e.get("output").isNull()).isFalse();
    assertThat(e.get("output").asString()).contains("hello");
  }

  // ---------------------------------------------------------------- cancel

  @Test
  void cancelOfAPendingExecutionAnswersItCancelled() {
    // given
    var f = fixture("exe-cancel");

    // when
    var r = f.user().delete("/api/executions/" + f.runA());

    // then
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("uuid").asString()).isEqualTo(f.runA());
    assertThat(r.json().get("status").asString()).isEqualTo("Cancelled");
    assertThat(status(f.user(), f.runA())).isEqualTo("Cancelled");
    assertThat(status(f.user(), f.runB())).isEqualTo("Pending");
    assertThat(uuids(f.user().get("/api/executions/?include_completed=False").json()))
        .containsExactly(f.runB());
  }

  @Test
  void cancellingTwiceIsAConflict() {
    // given
    var f = fixture("exe-cancel2");
    assertThat(f.user().delete("/api/executions/" + f.runA()).status()).isEqualTo(200);

    // when
    var r = f.user().delete("/api/executions/" + f.runA());

    // then
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.message()).isNotBlank();
    assertThat(status(f.user(), f.runA())).isEqualTo("Cancelled");
  }

  @Test
  void cancelOfAFinishedExecutionIsAConflictAndChangesNothing() {
    // given
    var f = fixture("exe-cancel-done");

    // when
    var r = f.user().delete("/api/executions/" + f.createTask());

    // then
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.message()).isNotBlank();
    assertThat(status(f.user(), f.createTask())).isEqualTo("Success");
  }

  // ---------------------------------------------------------------- bulk get

  static Stream<Arguments> bulkShapes() {
    return Stream.of(
        Arguments.of("tasks as a JSON string"),
        Arguments.of("tasks as an array"),
        Arguments.of("a bare array"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bulkShapes")
  void bulkGetAnswersTheExecutionsInInputOrder(String shape) {
    // given
    var f = fixture("exe-bulk");
    List<String> ids = List.of(f.runB(), f.createTask(), f.runA());
    String array = json(ids);
    String body =
        switch (shape) {
          case "tasks as a JSON string" -> json(Map.of("tasks", array));
          case "tasks as an array" -> "{\"tasks\": " + array + "}";
          default -> array;
        };

    // when
    var r = f.user().post("/api/executions/bulk", body);

    // then
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(uuids(r.json())).containsExactlyElementsOf(ids);
    assertThat(r.json().get(1).get("status").asString()).isEqualTo("Success");
    assertThat(r.json().get(0).get("status").asString()).isEqualTo("Pending");
  }

  @Test
  void bulkGetKeepsRepeatedIds() {
    // given
    var f = fixture("exe-bulk-rep");
    List<String> ids = List.of(f.runA(), f.runB(), f.runA());

    // when
    var r = f.user().post("/api/executions/bulk/", json(Map.of("tasks", json(ids))));

    // then
    assertThat(r.status()).isEqualTo(200);
    assertThat(uuids(r.json())).containsExactlyElementsOf(ids);
  }

  // ---------------------------------------------------------------- unknown ids

  @Test
  void unknownIdsAre404InGetCancelAndBulk() {
    // given
    var f = fixture("exe-404");
    String unknown = UUID.randomUUID().toString();

    // when
    var get = f.user().get("/api/executions/" + unknown);
    var cancel = f.user().delete("/api/executions/" + unknown);
    var bulk =
        f.user()
            .post("/api/executions/bulk", json(Map.of("tasks", json(List.of(f.runA(), unknown)))));
    var bulkBare = f.user().post("/api/executions/bulk", json(List.of(unknown)));
    var notAUuid = f.user().get("/api/executions/not-a-uuid");

    // then
    for (Http.Response r : List.of(get, cancel, bulk, bulkBare, notAUuid)) {
      assertThat(r.status()).as(r.body()).isEqualTo(404);
      assertThat(r.message()).isNotBlank();
    }
    assertThat(status(f.user(), f.runA())).isEqualTo("Pending");
  }

  @Test
  void anotherAccountsExecutionIsUnknown() {
    // given
    var f = fixture("exe-owner");
    var stranger = newUser("exe-stranger");

    // when
    var get = stranger.get("/api/executions/" + f.runA());
    var cancel = stranger.delete("/api/executions/" + f.runA());
    var bulk = stranger.post("/api/executions/bulk", json(List.of(f.runA())));

    // then
    assertThat(get.status()).isEqualTo(404);
    assertThat(cancel.status()).isEqualTo(404);
    assertThat(bulk.status()).isEqualTo(404);
    assertThat(status(f.user(), f.runA())).isEqualTo("Pending");
  }

  @Test
  void listFilteredByAnUnknownDeploymentIs404() {
    // given
    var user = newUser("exe-filter-404");

    // when
    var r = user.get("/api/executions/?include_completed=True&deployment=nope");

    // then
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.message()).contains("nope");
  }

  // ---------------------------------------------------------------- path spellings

  static Stream<Arguments> spellings() {
    List<Arguments> all = new ArrayList<>();
    for (String prefix : List.of("/api/executions", "/v1/executions")) {
      all.add(Arguments.of(prefix, "/"));
      all.add(Arguments.of(prefix, ""));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}...{1}")
  @MethodSource("spellings")
  void everyExecutionCallAnswersUnderEachPrefixWithAndWithoutTrailingSlash(
      String prefix, String slash) {
    // given
    var f = fixture("exe-paths");

    // when / then
    var list = f.user().get(prefix + slash + "?include_completed=True");
    assertThat(list.status()).isEqualTo(200);
    assertThat(uuids(list.json())).hasSize(3);

    var get = f.user().get(prefix + "/" + f.runA() + slash);
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.json().get("uuid").asString()).isEqualTo(f.runA());

    var bulk = f.user().post(prefix + "/bulk" + slash, json(List.of(f.runB())));
    assertThat(bulk.status()).isEqualTo(200);
    assertThat(uuids(bulk.json())).containsExactly(f.runB());

    var cancel = f.user().delete(prefix + "/" + f.runA() + slash);
    assertThat(cancel.status()).isEqualTo(200);
    assertThat(cancel.json().get("status").asString()).isEqualTo("Cancelled");
  }

  // ---------------------------------------------------------------- helpers

  static String createDeployment(Http.User user, String name) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("code", quote(HELLO));
    body.put("requirements", "");
    body.put("context", "");
    var r = user.put("/api/deployments/", json(body));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().asString();
  }

  static String run(Http.User user, String deployment, String name) {
    var r = user.post("/api/deployments/" + deployment + "/rpc/", json(Map.of("name", name)));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().asString();
  }

  static String status(Http.User user, String id) {
    var r = user.get("/api/executions/" + id);
    assertThat(r.status()).isEqualTo(200);
    return r.json().get("status").asString();
  }

  static String json(Object value) {
    return Http.JSON.writeValueAsString(value);
  }

  static List<JsonNode> items(JsonNode array) {
    assertThat(array.isArray()).as(array.toString()).isTrue();
    List<JsonNode> items = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      items.add(array.get(i));
    }
    return items;
  }

  static List<String> uuids(JsonNode array) {
    return items(array).stream().map(e -> e.get("uuid").asString()).toList();
  }

  static JsonNode byUuid(JsonNode array, String id) {
    return items(array).stream()
        .filter(e -> e.get("uuid").asString().equals(id))
        .findFirst()
        .orElseThrow();
  }

  static String quote(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (Character.isLetterOrDigit(c) && c < 128 || "_.-~/".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }
}
