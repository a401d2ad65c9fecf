package io.faaspot.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.ServerTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
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

/**
 * Every refusal is a 4xx with a JSON body whose {@code message} the old client prints, and leaves
 * the database as it was. Also the accepted spellings of credentials.
 */
class BadInputTest extends ServerTest {
  static final String HELLO = "def%20main%28args%2C%20context%29%3A%0A%20%20return%201%0A";
  static final int LIMIT = 1024 * 1024;

  /** What a refused request must not change: the account's rows, summarised. */
  record State(long deployments, long versions, long executions, long spots, String detail) {}

  State state(Http.User user) {
    return jdbc.sql(
            """
            SELECT
              (SELECT count(*) FROM deployments d WHERE d.account_id = a.id) AS deployments,
              (SELECT count(*) FROM deployment_versions v JOIN deployments d ON d.id = v.deployment_id
                WHERE d.account_id = a.id) AS versions,
              (SELECT count(*) FROM executions e WHERE e.account_id = a.id) AS executions,
              (SELECT count(*) FROM spots s WHERE s.account_id = a.id) AS spots,
              coalesce((SELECT string_agg(d.name || ':' || d.current_version || ':' || v.code
                          || ':' || v.requirements || ':' || v.context, ',' ORDER BY d.name)
                 FROM deployments d JOIN deployment_versions v
                   ON v.deployment_id = d.id AND v.version = d.current_version
                WHERE d.account_id = a.id), '')
                || '|' || a.min_workers || '-' || a.max_workers || '-' || a.desired_spots
                || '|' || coalesce((SELECT string_agg(e.id || e.status, ',' ORDER BY e.id)
                                      FROM executions e WHERE e.account_id = a.id), '')
                AS detail
            FROM accounts a WHERE a.username = :u
            """)
        .param("u", user.username())
        .query(
            (rs, i) ->
                new State(
                    rs.getLong("deployments"),
                    rs.getLong("versions"),
                    rs.getLong("executions"),
                    rs.getLong("spots"),
                    rs.getString("detail")))
        .single();
  }

  /** A user with deployment "hello" (and its create task), so changes would show. */
  Http.User userWithHello(String prefix) {
    var user = newUser(prefix);
    var r = user.put("/api/deployments/", createBody("hello", HELLO));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return user;
  }

  static void assertRefused(Http.Response r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.json().isObject()).isTrue();
    assertThat(r.message()).isNotBlank();
  }

  // ---------------------------------------------------------------- malformed JSON

  static Stream<Arguments> bodyEndpoints() {
    return Stream.of(
        Arguments.of("PUT", "/api/deployments/"),
        Arguments.of("PATCH", "/api/deployments/hello"),
        Arguments.of("POST", "/api/deployments/hello/rpc/"),
        Arguments.of("POST", "/api/deployments/hello/bulk_rpc/"),
        Arguments.of("POST", "/api/sync/deployments/hello/rpc/"),
        Arguments.of("PUT", "/api/sync/deployments/hello/rpc/"),
        Arguments.of("POST", "/api/executions/bulk"),
        Arguments.of("PUT", "/api/spots/"),
        Arguments.of("PATCH", "/api/spots/"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("bodyEndpoints")
  void malformedJsonIs400AndChangesNothing(String method, String path) {
    // given
    var user = userWithHello("bad-json");
    State before = state(user);

    // when
    var truncated = user.http().send(method, path, user.auth(), "{\"name\": \"x\", \"code\": ");
    var notJson = user.http().send(method, path, user.auth(), "name=x&code=y");

    // then
    assertRefused(truncated, 400);
    assertRefused(notJson, 400);
    assertThat(state(user)).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("bodyEndpoints")
  void invalidUtf8InTheBodyIs400AndChangesNothing(String method, String path) {
    // given
    var user = userWithHello("bad-utf8");
    State before = state(user);
    byte[] body =
        concat(
            "{\"name\": \"hello2\", \"code\": \"x\", \"tasks\": \"[]\", \"values\": \"[]\", \"a\": \"",
            new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3},
            "\"}");

    // when
    var r = user.http().sendBytes(method, path, user.auth(), body);

    // then
    assertRefused(r, 400);
    assertThat(state(user)).isEqualTo(before);
  }

  @Test
  void aBodyThatIsNotAnObjectIs400ForCreateAndUpdate() {
    // given
    var user = userWithHello("bad-shape");
    State before = state(user);

    // when
    var array = user.put("/api/deployments/", "[]");
    var string = user.patch("/api/deployments/hello", "\"x\"");
    var runArray = user.post("/api/deployments/hello/rpc/", "[1]");
    var bulkObjects = user.post("/api/deployments/hello/bulk_rpc/", "[{\"a\": \"1\"}, 5]");

    // then
    assertRefused(array, 400);
    assertRefused(string, 400);
    assertRefused(runArray, 400);
    assertRefused(bulkObjects, 400);
    assertThat(state(user)).isEqualTo(before);
  }

  // ---------------------------------------------------------------- percent-encoding

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"%zz", "%4", "abc%", "%g1", "x%2", "%%41"})
  void aBrokenPercentEscapeIs400AndChangesNothing(String code) {
    // given
    var user = userWithHello("bad-escape");
    State before = state(user);

    // when
    var create = user.put("/api/deployments/", createBody("hello2", code));
    var updateCode = user.patch("/api/deployments/hello", json(Map.of("code", code)));
    var updateReqs = user.patch("/api/deployments/hello", json(Map.of("requirements", code)));
    var updateContext =
        user.patch("/api/deployments/hello", json(Map.of("context", code, "name", "renamed")));

    // then
    for (Http.Response r : List.of(create, updateCode, updateReqs, updateContext)) {
      assertRefused(r, 400);
    }
    assertThat(state(user)).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"%ff%fe", "%C3", "%C3%28", "ok%ED%A0%80", "%F0%9F%92"})
  void percentEscapesOfBytesThatAreNotUtf8Are400AndChangeNothing(String code) {
    // given
    var user = userWithHello("bad-utf8-escape");
    State before = state(user);

    // when
    var create = user.put("/api/deployments/", createBody("hello2", code));
    var update = user.patch("/api/deployments/hello", json(Map.of("code", code)));

    // then
    assertRefused(create, 400);
    assertRefused(update, 400);
    assertThat(state(user)).isEqualTo(before);
  }

  // ---------------------------------------------------------------- names

  static Stream<String> invalidNames() {
    return Stream.of("a/b", "..", "a..b", "x".repeat(65), "", "-x", "my function", ".x", "a%2Fb");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @MethodSource("invalidNames")
  void anInvalidNameIs400OnCreateAndOnRenameAndChangesNothing(String name) {
    // given
    var user = userWithHello("bad-name");
    State before = state(user);

    // when
    var create = user.put("/api/deployments/", createBody(name, HELLO));
    var rename = user.patch("/api/deployments/hello", json(Map.of("name", name, "code", "x")));

    // then
    assertRefused(create, 400);
    assertRefused(rename, 400);
    assertThat(state(user)).isEqualTo(before);
  }

  @Test
  void aCallerAcceptingOnlyHtmlFromAJsonRouteGets406NotA500() {
    // given
    var user = newUser("accept-html");

    // when
    var r = user.http().send("GET", "/api/deployments/", user.auth(), null, "Accept", "text/html");

    // then
    assertThat(r.status()).isEqualTo(406);
  }

  @Test
  void aNameOf64CharactersIsAccepted() {
    // given
    var user = newUser("name-64");

    // when
    var r = user.put("/api/deployments/", createBody("x".repeat(64), HELLO));

    // then
    assertThat(r.status()).isEqualTo(200);
  }

  @Test
  void aMissingOrNonStringNameOrCodeIs400() {
    // given
    var user = userWithHello("bad-missing");
    State before = state(user);

    // when
    var noName = user.put("/api/deployments/", json(Map.of("code", HELLO)));
    var numberName = user.put("/api/deployments/", "{\"name\": 5, \"code\": \"x\"}");
    var noCode = user.put("/api/deployments/", json(Map.of("name", "hello2")));
    var emptyBody = user.put("/api/deployments/", null);

    // then
    for (Http.Response r : List.of(noName, numberName, noCode, emptyBody)) {
      assertRefused(r, 400);
    }
    assertThat(state(user)).isEqualTo(before);
  }

  // ---------------------------------------------------------------- size limit

  @Test
  void aBodyOverTheLimitWithAContentLengthIs413AndChangesNothing() {
    // given
    var user = userWithHello("big-length");
    State before = state(user);
    byte[] body = bigCreateBody();

    // when
    var create = user.http().sendBytes("PUT", "/api/deployments/", user.auth(), body);
    var run = user.http().sendBytes("POST", "/api/deployments/hello/rpc/", user.auth(), body);

    // then
    assertRefused(create, 413);
    assertRefused(run, 413);
    assertThat(state(user)).isEqualTo(before);
  }

  @Test
  void aChunkedBodyOverTheLimitIs413AndChangesNothing() throws Exception {
    // given
    var user = userWithHello("big-chunked");
    State before = state(user);
    byte[] body = bigCreateBody();

    // when
    var create = sendChunked("PUT", "/api/deployments/", user.auth(), body);
    var run = sendChunked("POST", "/api/deployments/hello/rpc/", user.auth(), body);

    // then
    assertRefused(create, 413);
    assertRefused(run, 413);
    assertThat(state(user)).isEqualTo(before);
  }

  @Test
  void aChunkedBodyUnderTheLimitIsAccepted() throws Exception {
    // given
    var user = newUser("small-chunked");

    // when
    var r =
        sendChunked(
            "PUT",
            "/api/deployments/",
            user.auth(),
            createBody("hello", HELLO).getBytes(StandardCharsets.UTF_8));

    // then
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(user.get("/api/deployments/hello").status()).isEqualTo(200);
  }

  // ---------------------------------------------------------------- unknown names and ids

  @Test
  void anUnknownDeploymentIs404ForEveryCallAndCreatesNoExecution() {
    // given
    var user = userWithHello("unknown-dep");
    State before = state(user);

    // when
    List<Http.Response> answers =
        List.of(
            user.get("/api/deployments/nope"),
            user.post("/api/deployments/nope/rpc/", "{\"name\": \"a\"}"),
            user.get("/api/deployments/nope/rpc/?name=a"),
            user.get("/api/sync/deployments/nope/rpc/?name=a"),
            user.put("/api/sync/deployments/nope/rpc/", "{\"name\": \"a\"}"),
            user.post("/api/sync/deployments/nope/rpc/", "{\"name\": \"a\"}"),
            user.post("/api/deployments/nope/bulk_rpc/", "[{\"name\": \"a\"}]"),
            user.patch("/api/deployments/nope", json(Map.of("code", "x"))),
            user.delete("/api/deployments/nope"));

    // then
    for (Http.Response r : answers) {
      assertRefused(r, 404);
      assertThat(r.message()).contains("nope");
    }
    assertThat(state(user)).isEqualTo(before);
  }

  @Test
  void anotherAccountsDeploymentIsUnknown() {
    // given
    var owner = userWithHello("dep-owner");
    var stranger = newUser("dep-stranger");
    State before = state(owner);

    // when
    List<Http.Response> answers =
        List.of(
            stranger.get("/api/deployments/hello"),
            stranger.post("/api/deployments/hello/rpc/", null),
            stranger.patch("/api/deployments/hello", json(Map.of("code", "x"))),
            stranger.delete("/api/deployments/hello"));

    // then
    for (Http.Response r : answers) {
      assertRefused(r, 404);
    }
    assertThat(state(owner)).isEqualTo(before);
  }

  @Test
  void anUnknownExecutionIs404() {
    // given
    var user = userWithHello("unknown-exe");
    State before = state(user);
    String id = UUID.randomUUID().toString();

    // when
    var get = user.get("/api/executions/" + id);
    var cancel = user.delete("/api/executions/" + id);
    var bulk = user.post("/api/executions/bulk", json(Map.of("tasks", "[\"" + id + "\"]")));

    // then
    assertRefused(get, 404);
    assertRefused(cancel, 404);
    assertRefused(bulk, 404);
    assertThat(state(user)).isEqualTo(before);
  }

  @Test
  void anUnknownEndpointIsAJson404() {
    // given
    var user = newUser("unknown-path");

    // when
    var r = user.get("/api/nothing-here/");

    // then
    assertRefused(r, 404);
  }

  // ---------------------------------------------------------------- credentials refused

  @Test
  void aRequestWithoutCredentialsIs401AndChangesNothing() {
    // given
    var user = userWithHello("no-auth");
    State before = state(user);

    // when
    var list = user.http().send("GET", "/api/deployments/", null, null);
    var create = user.http().send("PUT", "/api/deployments/", null, createBody("hello2", HELLO));
    var v1 = user.http().send("GET", "/v1/functions/", null, null);

    // then
    assertRefused(list, 401);
    assertRefused(create, 401);
    assertRefused(v1, 401);
    assertThat(state(user)).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "Token fst_not-a-real-token",
        "Token ",
        "Bearer fst_not-a-real-token",
        "Basic !!!not-base64!!!",
        "Basic bm9jb2xvbg==",
        "Basic dW5rbm93bi11c2VyOnNvbWUtcGFzc3dvcmQ=",
        "Digest abc",
        "garbage"
      })
  void aRequestWithWrongCredentialsIs401AndChangesNothing(String authorization) {
    // given
    var user = userWithHello("wrong-auth");
    State before = state(user);

    // when
    var r =
        user.http().send("PUT", "/api/deployments/", authorization, createBody("hello2", HELLO));

    // then
    assertRefused(r, 401);
    assertThat(state(user)).isEqualTo(before);
  }

  @Test
  void aWrongTokenOfARealUserIs401() {
    // given
    var user = userWithHello("wrong-token");
    State before = state(user);

    // when
    var r =
        user.http().send("DELETE", "/api/deployments/hello", "Token " + user.token() + "x", null);

    // then
    assertRefused(r, 401);
    assertThat(state(user)).isEqualTo(before);
  }

  @Test
  void basicWithAWrongPasswordIs401AndChangesNothing() {
    // given
    var user = userWithHello("wrong-pass");
    State before = state(user);
    String wrong = basic(user.username(), user.password() + "-wrong");

    // when
    var std = user.http().send("DELETE", "/api/deployments/hello", "Basic " + wrong, null);
    var wrapped =
        user.http()
            .send("DELETE", "/api/deployments/hello", "Basic b'" + urlSafe(wrong) + "'", null);

    // then
    assertRefused(std, 401);
    assertRefused(wrapped, 401);
    assertThat(state(user)).isEqualTo(before);
  }

  @Test
  void aNonAdminCallingTheAdminApiIs403AndCreatesNoAccount() {
    // given
    var user = newUser("not-admin");
    String username = "sneaky-" + UUID.randomUUID().toString().substring(0, 8);

    // when
    var list = user.get("/api/admin/accounts");
    var create =
        user.post(
            "/api/admin/accounts",
            json(Map.of("username", username, "password", "password-" + username)));

    // then
    assertRefused(list, 403);
    assertRefused(create, 403);
    assertThat(
            jdbc.sql("SELECT count(*) FROM accounts WHERE username = :u")
                .param("u", username)
                .query(Long.class)
                .single())
        .isZero();
  }

  // ---------------------------------------------------------------- credentials accepted

  /** An account whose standard base64 of user:password has both '+' and '/'. */
  record BasicUser(String username, String password, String token, String standard) {}

  BasicUser basicUser() {
    String username = "b64-" + UUID.randomUUID().toString().substring(0, 8);
    String password = null;
    String standard = null;
    for (int i = 0; i < 100_000 && password == null; i++) {
      String candidate = "p>?~" + i + "?>~\u00e9";
      String encoded = basic(username, candidate);
      if (encoded.contains("+") && encoded.contains("/")) {
        password = candidate;
        standard = encoded;
      }
    }
    assertThat(password).as("a password whose base64 has '+' and '/'").isNotNull();
    var r =
        admin()
            .post("/api/admin/accounts", json(Map.of("username", username, "password", password)));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return new BasicUser(username, password, r.json().get("token").asString(), standard);
  }

  @Test
  void basicWithTheStandardBase64AlphabetIsAccepted() {
    // given
    var user = basicUser();

    // when
    var r =
        http().send("PUT", "/api/deployments/", "Basic " + user.standard(), createBody("a", HELLO));

    // then
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(ownerOf("a", user.username())).isEqualTo(1);
  }

  @Test
  void basicWithTheUrlSafeBase64AlphabetIsAccepted() {
    // given
    var user = basicUser();
    String urlSafe = urlSafe(user.standard());
    assertThat(urlSafe).contains("-").contains("_");

    // when
    var r = http().send("PUT", "/api/deployments/", "Basic " + urlSafe, createBody("b", HELLO));

    // then
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(ownerOf("b", user.username())).isEqualTo(1);
  }

  @Test
  void basicWrappedAsPythonBytesIsAccepted() {
    // given
    var user = basicUser();
    String urlSafe = urlSafe(user.standard());

    // when
    var r =
        http().send("PUT", "/api/deployments/", "Basic b'" + urlSafe + "'", createBody("c", HELLO));
    var list = http().send("GET", "/api/deployments/", "Basic b'" + user.standard() + "'", null);

    // then
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(ownerOf("c", user.username())).isEqualTo(1);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().size()).isEqualTo(1);
  }

  @Test
  void aTokenIsAccepted() {
    // given
    var user = basicUser();

    // when
    var r =
        http().send("PUT", "/api/deployments/", "Token " + user.token(), createBody("d", HELLO));

    // then
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(ownerOf("d", user.username())).isEqualTo(1);
  }

  @Test
  void basicAndTokenOfOneAccountSeeTheSameDeployments() {
    // given
    var user = basicUser();
    http().send("PUT", "/api/deployments/", "Token " + user.token(), createBody("shared", HELLO));

    // when
    var byBasic = http().send("GET", "/api/deployments/shared", "Basic " + user.standard(), null);

    // then
    assertThat(byBasic.status()).isEqualTo(200);
    assertThat(byBasic.json().get("name").asString()).isEqualTo("shared");
  }

  // ---------------------------------------------------------------- helpers

  long ownerOf(String deployment, String username) {
    return jdbc.sql(
            "SELECT count(*) FROM deployments d JOIN accounts a ON a.id = d.account_id"
                + " WHERE d.name = :d AND a.username = :u")
        .param("d", deployment)
        .param("u", username)
        .query(Long.class)
        .single();
  }

  static String basic(String username, String password) {
    return Base64.getEncoder()
        .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static String urlSafe(String standard) {
    return standard.replace('+', '-').replace('/', '_');
  }

  static String createBody(String name, String quotedCode) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("code", quotedCode);
    body.put("requirements", "");
    body.put("context", "");
    return json(body);
  }

  static String json(Object value) {
    return Http.JSON.writeValueAsString(value);
  }

  static byte[] concat(String head, byte[] middle, String tail) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(middle);
    out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** A valid create body of about 1.2 MiB: over the limit only by its size. */
  static byte[] bigCreateBody() {
    return createBody("big", "x".repeat(LIMIT + LIMIT / 5)).getBytes(StandardCharsets.UTF_8);
  }

  /** Sends the body without a Content-Length (chunked), which Http cannot. */
  Http.Response sendChunked(String method, String path, String authorization, byte[] body)
      throws IOException, InterruptedException {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(http().base() + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-type", "application/json")
            .header("Authorization", authorization)
            .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> chunks(body)))
            .build();
    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
    return new Http.Response(
        r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
  }

  private static ByteArrayInputStream chunks(byte[] body) {
    return new ByteArrayInputStream(body);
  }
}
