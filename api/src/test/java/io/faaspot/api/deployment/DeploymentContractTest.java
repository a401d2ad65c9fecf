package io.faaspot.api.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.ServerTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * API.md section 3 over real HTTP, as the old {@code fas} client and curl users call it. No agent
 * runs here, so function calls stay {@code Pending}; only the sync timeout is awaited.
 */
class DeploymentContractTest extends ServerTest {
  static final String HELLO = "def main(args, context):\n    return \"Hello \" + args[\"name\"]\n";

  /** Code with everything quoting must survive: spaces, quotes, '+', '/', '%', non-ASCII. */
  static final String TRICKY_CODE =
      "# caf\u00e9 \ud83d\udca1 50% off, a+b / c\n"
          + "def main(args, context):\n"
          + "    return {'msg': \"h\u00e9llo \ud83d\udca1\", 'sum': 1+2, 'path': '/tmp/x?y=z&w'}\n";

  // ---------------------------------------------------------------- list / get

  @Test
  void listAnswersABareArrayOfDeploymentsWithNameRequirementsAndRunnerUrl() {
    // given
    var user = newUser("dep-list");
    create(user, "beta", HELLO, "sh", "");
    create(user, "alpha", HELLO, "", "");

    // when
    var r = user.get("/api/deployments/");

    // then
    assertThat(r.status()).isEqualTo(200);
    JsonNode list = r.json();
    assertThat(list.isArray()).isTrue();
    assertThat(names(list)).containsExactlyInAnyOrder("alpha", "beta");
    for (JsonNode d : iterate(list)) {
      assertThat(d.has("requirements")).isTrue();
      assertThat(d.get("runner_url").asString())
          .isEqualTo(http().base() + "/api/sync/deployments/" + d.get("name").asString() + "/rpc/");
    }
    assertThat(byName(list, "beta").get("requirements").asString()).isEqualTo("sh");
  }

  @Test
  void listShowsOnlyTheCallersOwnDeployments() {
    // given
    var owner = newUser("dep-owner");
    var other = newUser("dep-other");
    create(owner, "mine", HELLO, "", "");

    // when
    var r = other.get("/api/deployments/");

    // then
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("[]");
    assertThat(other.get("/api/deployments/mine").status()).isEqualTo(404);
  }

  @Test
  void getAnswersCodeRequirementsAndContextUrlQuotedAsPythonQuotesThem() {
    // given
    var user = newUser("dep-get");
    String requirements = "sh==1.12.14\nrequests>=2.0 # caf\u00e9\n";
    String context = "access_key = \"XYZ+/=\"\nGREETING=h\u00e9llo \ud83d\udca1\n";
    create(user, "tricky", TRICKY_CODE, requirements, context);

    // when
    var r = user.get("/api/deployments/tricky");

    // then
    assertThat(r.status()).isEqualTo(200);
    JsonNode d = r.json();
    assertThat(d.get("name").asString()).isEqualTo("tricky");
    assertThat(d.get("code").asString()).isEqualTo(pyQuote(TRICKY_CODE));
    assertThat(d.get("requirements").asString()).isEqualTo(pyQuote(requirements));
    assertThat(d.get("context").asString()).isEqualTo(pyQuote(context));
    assertThat(d.get("code").asString()).contains("%C3%A9", "%F0%9F%92%A1", "%2B", "%20", "/");
    assertThat(pyUnquote(d.get("code").asString())).isEqualTo(TRICKY_CODE);
    assertThat(d.get("runner_url").asString())
        .isEqualTo(http().base() + "/api/sync/deployments/tricky/rpc/");
  }

  @Test
  void theTestsQuoteIsPythonsQuote() {
    // given what python3 -c "from urllib.parse import quote; print(quote('é 💡+/~%\"\n'))" prints
    String python = "%C3%A9%20%F0%9F%92%A1%2B/~%25%22%0A";

    // then
    assertThat(pyQuote("\u00e9 \ud83d\udca1+/~%\"\n")).isEqualTo(python);
  }

  @Test
  void aRawPlusInQuotedCodeStaysAPlusAndNotASpace() {
    // given a body whose code has a literal '+' (unquote leaves it as it is)
    var user = newUser("dep-plus");
    var r =
        user.put(
            "/api/deployments/",
            json(Map.of("name", "plus", "code", "x = 1+2%20", "requirements", "", "context", "")));
    assertThat(r.status()).isEqualTo(200);

    // when
    var got = user.get("/api/deployments/plus");

    // then
    assertThat(pyUnquote(got.json().get("code").asString())).isEqualTo("x = 1+2 ");
  }

  @Test
  void escapesInEitherCaseAndPythonTwosQuotingOfTildeAreDecoded() {
    // given
    var user = newUser("dep-case");
    var r =
        user.put(
            "/api/deployments/",
            json(
                Map.of(
                    "name",
                    "cases",
                    "code",
                    "%c3%a9%C3%A9%7E",
                    "requirements",
                    "",
                    "context",
                    "")));
    assertThat(r.status()).isEqualTo(200);

    // then
    assertThat(pyUnquote(user.get("/api/deployments/cases").json().get("code").asString()))
        .isEqualTo("\u00e9\u00e9~");
  }

  // ---------------------------------------------------------------- create

  @Test
  void createAnswersTheTaskIdAsABareJsonString() {
    // given
    var user = newUser("dep-create");

    // when
    var r = user.put("/api/deployments/", createBody("hello", HELLO, "", ""));

    // then
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).startsWith("\"").endsWith("\"");
    String id = r.json().asString();
    assertIsExecutionId(id);
    JsonNode task = execution(user, id);
    assertThat(task.get("name").asString()).isEqualTo("tasks.create_deployment");
    assertThat(task.get("status").asString()).isEqualTo("Success");
    assertThat(task.get("uuid").asString()).isEqualTo(id);
    assertThat(user.get("/api/deployments/hello").status()).isEqualTo(200);
  }

  @Test
  void createStoresEmptyRequirementsAndContextAsEmptyStrings() {
    // given
    var user = newUser("dep-empty");

    // when
    create(user, "bare", HELLO, "", "");

    // then
    JsonNode d = user.get("/api/deployments/bare").json();
    assertThat(d.get("requirements").asString()).isEmpty();
    assertThat(d.get("context").asString()).isEmpty();
    assertThat(pyUnquote(d.get("code").asString())).isEqualTo(HELLO);
  }

  @Test
  void createRefusesATakenNameWith409AndKeepsTheFirstDeployment() {
    // given
    var user = newUser("dep-dup");
    create(user, "hello", HELLO, "", "");

    // when
    var r = user.put("/api/deployments/", createBody("hello", "def main(a, c):\n  pass\n", "", ""));

    // then
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.message()).isNotBlank();
    assertThat(pyUnquote(user.get("/api/deployments/hello").json().get("code").asString()))
        .isEqualTo(HELLO);
    assertThat(user.get("/api/deployments/").json().size()).isEqualTo(1);
  }

  @Test
  void twoAccountsMayUseTheSameDeploymentName() {
    // given
    var first = newUser("dep-same1");
    var second = newUser("dep-same2");
    create(first, "hello", HELLO, "", "");

    // when
    var r = second.put("/api/deployments/", createBody("hello", HELLO, "", ""));

    // then
    assertThat(r.status()).isEqualTo(200);
  }

  // ---------------------------------------------------------------- update

  @Test
  void updateAnswersTheExecutionObjectOfTheUpdateTaskAndStoresTheNewCode() {
    // given
    var user = newUser("dep-update");
    create(user, "hello", HELLO, "sh", "A=1");
    String newCode = "def main(args, context):\n    return 'v2 \u00e9'\n";

    // when
    var r = user.patch("/api/deployments/hello", json(Map.of("code", pyQuote(newCode))));

    // then
    assertThat(r.status()).isEqualTo(200);
    JsonNode task = r.json();
    assertThat(task.isObject()).isTrue();
    String id = task.get("uuid").asString();
    assertIsExecutionId(id);
    assertThat(task.get("status").asString()).isEqualTo("Success");
    assertThat(execution(user, id).get("uuid").asString()).isEqualTo(id);
    JsonNode d = user.get("/api/deployments/hello").json();
    assertThat(pyUnquote(d.get("code").asString())).isEqualTo(newCode);
    assertThat(d.get("requirements").asString()).isEqualTo("sh");
    assertThat(pyUnquote(d.get("context").asString())).isEqualTo("A=1");
  }

  @Test
  void updateChangesRequirementsAndContextOnTheirOwn() {
    // given
    var user = newUser("dep-upd-req");
    create(user, "hello", HELLO, "sh", "A=1");

    // when
    var r =
        user.patch(
            "/api/deployments/hello",
            json(Map.of("requirements", pyQuote("requests\n"), "context", pyQuote("B = \"2\""))));

    // then
    assertThat(r.status()).isEqualTo(200);
    JsonNode d = user.get("/api/deployments/hello").json();
    assertThat(pyUnquote(d.get("code").asString())).isEqualTo(HELLO);
    assertThat(pyUnquote(d.get("requirements").asString())).isEqualTo("requests\n");
    assertThat(pyUnquote(d.get("context").asString())).isEqualTo("B = \"2\"");
  }

  @Test
  void updateWithANameRenamesTheDeployment() {
    // given
    var user = newUser("dep-rename");
    create(user, "old", HELLO, "sh", "");

    // when
    var r = user.patch("/api/deployments/old", json(Map.of("name", "new")));

    // then
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("uuid").asString()).hasSize(36);
    assertThat(user.get("/api/deployments/old").status()).isEqualTo(404);
    var renamed = user.get("/api/deployments/new");
    assertThat(renamed.status()).isEqualTo(200);
    assertThat(pyUnquote(renamed.json().get("code").asString())).isEqualTo(HELLO);
    assertThat(renamed.json().get("requirements").asString()).isEqualTo("sh");
    assertThat(renamed.json().get("runner_url").asString())
        .endsWith("/api/sync/deployments/new/rpc/");
    assertThat(names(user.get("/api/deployments/").json())).containsExactly("new");
  }

  @Test
  void renamingOntoATakenNameIs409AndChangesNothing() {
    // given
    var user = newUser("dep-rename-409");
    create(user, "one", HELLO, "", "");
    String otherCode = "def main(a, c):\n    return 2\n";
    create(user, "two", otherCode, "", "");

    // when
    var r = user.patch("/api/deployments/one", json(Map.of("name", "two", "code", "x")));

    // then
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.message()).isNotBlank();
    assertThat(pyUnquote(user.get("/api/deployments/one").json().get("code").asString()))
        .isEqualTo(HELLO);
    assertThat(pyUnquote(user.get("/api/deployments/two").json().get("code").asString()))
        .isEqualTo(otherCode);
  }

  // ---------------------------------------------------------------- delete

  @Test
  void deleteAnswersTheExecutionObjectOfTheDeleteTaskAndRemovesTheDeployment() {
    // given
    var user = newUser("dep-delete");
    create(user, "hello", HELLO, "", "");

    // when
    var r = user.delete("/api/deployments/hello");

    // then
    assertThat(r.status()).isEqualTo(200);
    JsonNode task = r.json();
    assertThat(task.isObject()).isTrue();
    String id = task.get("uuid").asString();
    assertIsExecutionId(id);
    assertThat(task.get("status").asString()).isEqualTo("Success");
    assertThat(execution(user, id).get("name").asString()).isEqualTo("tasks.delete_deployment");
    assertThat(user.get("/api/deployments/hello").status()).isEqualTo(404);
    assertThat(user.get("/api/deployments/").body()).isEqualTo("[]");
    assertThat(user.delete("/api/deployments/hello").status()).isEqualTo(404);
  }

  @Test
  void deletingADeploymentCancelsItsPendingExecutions() {
    // given
    var user = newUser("dep-del-cancel");
    create(user, "hello", HELLO, "", "");
    create(user, "other", HELLO, "", "");
    String first = runAsync(user, "hello", "{\"name\": \"a\"}");
    String second = runAsync(user, "hello", "{\"name\": \"b\"}");
    String unrelated = runAsync(user, "other", "{\"name\": \"c\"}");

    // when
    var r = user.delete("/api/deployments/hello");

    // then
    assertThat(r.status()).isEqualTo(200);
    assertThat(execution(user, first).get("status").asString()).isEqualTo("Cancelled");
    assertThat(execution(user, second).get("status").asString()).isEqualTo("Cancelled");
    assertThat(execution(user, unrelated).get("status").asString()).isEqualTo("Pending");
  }

  @Test
  void aDeploymentCreatedAgainAfterDeleteIsANewOne() {
    // given
    var user = newUser("dep-recreate");
    create(user, "hello", HELLO, "", "");
    assertThat(user.delete("/api/deployments/hello").status()).isEqualTo(200);

    // when
    String code = "def main(a, c):\n    return 'again'\n";
    create(user, "hello", code, "", "");

    // then
    assertThat(pyUnquote(user.get("/api/deployments/hello").json().get("code").asString()))
        .isEqualTo(code);
  }

  // ---------------------------------------------------------------- run (async)

  @Test
  void runWithAJsonBodyAnswersTheExecutionIdAsABareStringAndKeepsTheParamsAsArgs() {
    // given
    var user = newUser("run-post");
    create(user, "hello", HELLO, "", "");

    // when
    var r = user.post("/api/deployments/hello/rpc/", "{\"name\": \"user1\", \"sec\": \"2\"}");

    // then
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).startsWith("\"");
    String id = r.json().asString();
    assertIsExecutionId(id);
    JsonNode e = execution(user, id);
    assertThat(e.get("name").asString()).isEqualTo("tasks.run_deployment");
    assertThat(e.get("status").asString()).isEqualTo("Pending");
    assertThat(e.get("deployment").asString()).isEqualTo("hello");
    assertThat(e.get("args").get("name").asString()).isEqualTo("user1");
    assertThat(e.get("args").get("sec").asString()).isEqualTo("2");
    assertThat(e.get("args").size()).isEqualTo(2);
  }

  @Test
  void runWithoutABodyAnswersAnExecutionIdWithNoArgs() {
    // given
    var user = newUser("run-nobody");
    create(user, "hello", HELLO, "", "");

    // when
    var r = user.post("/api/deployments/hello/rpc/", null);

    // then
    assertThat(r.status()).isEqualTo(200);
    String id = r.json().asString();
    assertIsExecutionId(id);
    JsonNode e = execution(user, id);
    assertThat(e.get("name").asString()).isEqualTo("tasks.run_deployment");
    assertThat(e.get("args").isObject()).isTrue();
    assertThat(e.get("args").size()).isZero();
  }

  @Test
  void runByGetTakesTheQueryParametersAsArgs() {
    // given
    var user = newUser("run-get");
    create(user, "hello", HELLO, "", "");

    // when
    var r = user.get("/api/deployments/hello/rpc/?name=user1&greeting=h%C3%A9llo%20you");

    // then
    assertThat(r.status()).isEqualTo(200);
    String id = r.json().asString();
    assertIsExecutionId(id);
    JsonNode args = execution(user, id).get("args");
    assertThat(args.get("name").asString()).isEqualTo("user1");
    assertThat(args.get("greeting").asString()).isEqualTo("h\u00e9llo you");
    assertThat(args.size()).isEqualTo(2);
  }

  @Test
  void eachRunIsItsOwnExecution() {
    // given
    var user = newUser("run-distinct");
    create(user, "hello", HELLO, "", "");

    // when
    String a = runAsync(user, "hello", "{\"name\": \"a\"}");
    String b = runAsync(user, "hello", "{\"name\": \"a\"}");

    // then
    assertThat(a).isNotEqualTo(b);
  }

  // ---------------------------------------------------------------- bulk run

  static Stream<Arguments> bulkShapes() {
    String array = "[{\"name\": \"a\"}, {\"name\": \"b\", \"x\": \"1\"}, {\"name\": \"c\"}]";
    return Stream.of(
        Arguments.of("values as a JSON string", json(Map.of("values", array))),
        Arguments.of("values as an array", "{\"values\": " + array + "}"),
        Arguments.of("a bare array", array));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bulkShapes")
  void bulkRunAnswersOneExecutionIdPerCallInInputOrder(String shape, String body) {
    // given
    var user = newUser("bulk");
    create(user, "hello", HELLO, "", "");

    // when
    var r = user.post("/api/deployments/hello/bulk_rpc/", body);

    // then
    assertThat(r.status()).isEqualTo(200);
    JsonNode ids = r.json();
    assertThat(ids.isArray()).isTrue();
    assertThat(ids.size()).isEqualTo(3);
    List<String> expectedNames = List.of("a", "b", "c");
    for (int i = 0; i < 3; i++) {
      String id = ids.get(i).asString();
      assertIsExecutionId(id);
      JsonNode e = execution(user, id);
      assertThat(e.get("name").asString()).isEqualTo("tasks.run_deployment");
      assertThat(e.get("args").get("name").asString()).isEqualTo(expectedNames.get(i));
    }
    assertThat(execution(user, ids.get(1).asString()).get("args").get("x").asString())
        .isEqualTo("1");
  }

  @Test
  void bulkRunOfAnEmptyArrayAnswersAnEmptyArray() {
    // given
    var user = newUser("bulk-empty");
    create(user, "hello", HELLO, "", "");

    // when
    var r = user.post("/api/deployments/hello/bulk_rpc/", "{\"values\": \"[]\"}");

    // then
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().isArray()).isTrue();
    assertThat(r.json().size()).isZero();
  }

  // ---------------------------------------------------------------- run (sync)

  @Test
  void syncRunByGetPutAndPostAnswers504WithTheExecutionIdAfterTheSyncWait() throws Exception {
    // given
    var user = newUser("sync");
    create(user, "hello", HELLO, "", "");
    String path = "/api/sync/deployments/hello/rpc/";

    // when (all three at once, so the test waits for the limit only once)
    long start = System.nanoTime();
    List<Http.Response> answers =
        concurrently(
            List.of(
                () -> user.get(path + "?name=by-get"),
                () -> user.put(path, "{\"name\": \"by-put\"}"),
                () -> user.post(path, "{\"name\": \"by-post\"}")));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    // then
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(4900));
    List<String> expected = List.of("by-get", "by-put", "by-post");
    for (int i = 0; i < 3; i++) {
      Http.Response r = answers.get(i);
      assertThat(r.status()).as(r.body()).isEqualTo(504);
      String id = r.json().get("execution_id").asString();
      assertIsExecutionId(id);
      assertThat(r.message()).contains(id).contains("/api/executions/" + id);
      JsonNode e = execution(user, id);
      assertThat(e.get("name").asString()).isEqualTo("tasks.run_deployment");
      assertThat(e.get("status").asString()).isEqualTo("Pending");
      assertThat(e.get("args").get("name").asString()).isEqualTo(expected.get(i));
    }
  }

  @Test
  void syncRunAnswersOnEverySpellingOfItsPath() throws Exception {
    // given
    var user = newUser("sync-paths");
    create(user, "hello", HELLO, "", "");
    List<String> paths = new ArrayList<>();
    for (String prefix :
        List.of(
            "/api/sync/deployments",
            "/api/sync/functions",
            "/v1/sync/deployments",
            "/v1/sync/functions")) {
      paths.add(prefix + "/hello/rpc/");
      paths.add(prefix + "/hello/rpc");
    }
    List<java.util.function.Supplier<Http.Response>> calls = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (String p : paths) {
      for (String method : List.of("GET", "PUT", "POST")) {
        String label = method + " " + p;
        labels.add(label);
        calls.add(
            method.equals("GET")
                ? () -> user.get(p + "?name=" + label.replace(' ', '_'))
                : () ->
                    user.http()
                        .send(
                            method, p, user.auth(), json(Map.of("name", label.replace(' ', '_')))));
      }
    }

    // when
    List<Http.Response> answers = concurrently(calls);

    // then
    for (int i = 0; i < answers.size(); i++) {
      Http.Response r = answers.get(i);
      assertThat(r.status()).as(labels.get(i) + ": " + r.body()).isEqualTo(504);
      String id = r.json().get("execution_id").asString();
      assertThat(execution(user, id).get("args").get("name").asString())
          .as(labels.get(i))
          .isEqualTo(labels.get(i).replace(' ', '_'));
    }
  }

  // ---------------------------------------------------------------- path spellings

  static Stream<Arguments> spellings() {
    List<Arguments> all = new ArrayList<>();
    for (String prefix :
        List.of("/api/deployments", "/api/functions", "/v1/deployments", "/v1/functions")) {
      all.add(Arguments.of(prefix, "/"));
      all.add(Arguments.of(prefix, ""));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}...{1}")
  @MethodSource("spellings")
  void everyDeploymentCallAnswersUnderEachPrefixWithAndWithoutTrailingSlash(
      String prefix, String slash) {
    // given
    var user = newUser("dep-paths");

    // when / then: create
    var created = user.put(prefix + slash, createBody("hello", HELLO, "", ""));
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    assertIsExecutionId(created.json().asString());

    // list
    var list = user.get(prefix + slash);
    assertThat(list.status()).isEqualTo(200);
    assertThat(names(list.json())).containsExactly("hello");
    assertThat(list.json().get(0).get("runner_url").asString())
        .isEqualTo(http().base() + "/api/sync/deployments/hello/rpc/");

    // get
    var got = user.get(prefix + "/hello" + slash);
    assertThat(got.status()).isEqualTo(200);
    assertThat(pyUnquote(got.json().get("code").asString())).isEqualTo(HELLO);

    // update
    var updated = user.patch(prefix + "/hello" + slash, json(Map.of("requirements", "sh")));
    assertThat(updated.status()).isEqualTo(200);
    assertIsExecutionId(updated.json().get("uuid").asString());
    assertThat(user.get(prefix + "/hello" + slash).json().get("requirements").asString())
        .isEqualTo("sh");

    // run by POST and by GET
    var posted = user.post(prefix + "/hello/rpc" + slash, "{\"name\": \"p\"}");
    assertThat(posted.status()).isEqualTo(200);
    assertThat(execution(user, posted.json().asString()).get("args").get("name").asString())
        .isEqualTo("p");
    var byGet = user.get(prefix + "/hello/rpc" + slash + "?name=g");
    assertThat(byGet.status()).isEqualTo(200);
    assertThat(execution(user, byGet.json().asString()).get("args").get("name").asString())
        .isEqualTo("g");

    // bulk
    var bulk = user.post(prefix + "/hello/bulk_rpc" + slash, "[{\"name\": \"b\"}]");
    assertThat(bulk.status()).isEqualTo(200);
    assertThat(bulk.json().size()).isEqualTo(1);

    // rename and delete
    var renamed = user.patch(prefix + "/hello" + slash, json(Map.of("name", "hello2")));
    assertThat(renamed.status()).isEqualTo(200);
    var deleted = user.delete(prefix + "/hello2" + slash);
    assertThat(deleted.status()).isEqualTo(200);
    assertIsExecutionId(deleted.json().get("uuid").asString());
    assertThat(user.get(prefix + "/hello2" + slash).status()).isEqualTo(404);
    assertThat(user.get(prefix + slash).body()).isEqualTo("[]");
  }

  @Test
  void runnerUrlIsTheSyncPathUnderApiWhicheverPrefixTheCallerUsed() {
    // given
    var user = newUser("dep-runner");
    create(user, "hello", HELLO, "", "");

    // when
    var r = user.get("/v1/functions/hello");

    // then
    assertThat(r.json().get("runner_url").asString())
        .isEqualTo(http().base() + "/api/sync/deployments/hello/rpc/");
  }

  // ---------------------------------------------------------------- helpers

  static String createBody(String name, String code, String requirements, String context) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("code", pyQuote(code));
    body.put("requirements", pyQuote(requirements));
    body.put("context", pyQuote(context));
    return json(body);
  }

  static String create(
      Http.User user, String name, String code, String requirements, String context) {
    var r = user.put("/api/deployments/", createBody(name, code, requirements, context));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().asString();
  }

  static String runAsync(Http.User user, String name, String body) {
    var r = user.post("/api/deployments/" + name + "/rpc/", body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().asString();
  }

  static JsonNode execution(Http.User user, String id) {
    var r = user.get("/api/executions/" + id);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static void assertIsExecutionId(String id) {
    assertThat(id).hasSize(36);
    assertThat(id.split("-", -1)).hasSize(5);
    assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  }

  static String json(Object value) {
    return Http.JSON.writeValueAsString(value);
  }

  static List<JsonNode> iterate(JsonNode array) {
    List<JsonNode> items = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      items.add(array.get(i));
    }
    return items;
  }

  static List<String> names(JsonNode array) {
    return iterate(array).stream().map(d -> d.get("name").asString()).toList();
  }

  static JsonNode byName(JsonNode array, String name) {
    return iterate(array).stream()
        .filter(d -> d.get("name").asString().equals(name))
        .findFirst()
        .orElseThrow();
  }

  static List<Http.Response> concurrently(List<java.util.function.Supplier<Http.Response>> calls)
      throws Exception {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<CompletableFuture<Http.Response>> futures =
          calls.stream().map(c -> CompletableFuture.supplyAsync(c, pool)).toList();
      List<Http.Response> answers = new ArrayList<>();
      for (CompletableFuture<Http.Response> f : futures) {
        answers.add(f.get());
      }
      return answers;
    }
  }

  /** Python's {@code urllib.parse.quote(s)} (safe '/'): what the old client sends. */
  static String pyQuote(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "_.-~/".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  /** Python's {@code urllib.parse.unquote}: what the old client does with code it receives. */
  static String pyUnquote(String text) {
    var bytes = new java.io.ByteArrayOutputStream();
    int i = 0;
    while (i < text.length()) {
      int c = text.codePointAt(i);
      if (c == '%' && i + 2 < text.length()) {
        bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 3;
      } else {
        bytes.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
