package io.faaspot.api.web;

import static io.faaspot.api.web.BadInputTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.ServerTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inputs a black-box fuzzer found answered with a 500, or never answered: each is now a 4xx JSON
 * refusal that changes nothing. (BadInputTest holds the kinds of bad input the API was built to
 * refuse; these are the edges it missed.)
 */
class EdgeInputTest extends ServerTest {
  private static final String HELLO = BadInputTest.HELLO;

  private Http.User userWithHello(String prefix) {
    Http.User user = newUser(prefix);
    Http.Response r = user.put("/api/deployments/", BadInputTest.createBody("hello", HELLO));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return user;
  }

  /** A POST of {@code body} as {@code contentType} to the user's hello deployment. */
  private Http.Response run(Http.User user, String body, String contentType) {
    return http()
        .send(
            "POST",
            "/api/deployments/hello/rpc/",
            "Token " + user.token(),
            body,
            "Content-type",
            contentType);
  }

  private long executions(Http.User user) {
    return jdbc.sql(
            "SELECT count(*) FROM executions e JOIN accounts a ON a.id = e.account_id"
                + " WHERE a.username = :u AND e.kind = 'tasks.run_deployment'")
        .param("u", user.username())
        .query(Long.class)
        .single();
  }

  // ---------------------------------------------------------------- NUL characters

  @Test
  void aNulCharacterAnywhereInARunIsRefusedAndRunsNothing() {
    Http.User user = userWithHello("nul-run");

    assertRefused(user.post("/api/deployments/hello/rpc/", "{\"a\": \"x\\u0000y\"}"), 400);
    assertRefused(user.post("/api/deployments/hello/rpc/", "{\"\\u0000\": 1}"), 400);
    assertRefused(user.post("/api/deployments/hello/bulk_rpc/", "[{\"a\": \"\\u0000\"}]"), 400);
    assertRefused(
        user.post(
            "/api/deployments/hello/bulk_rpc/",
            "{\"values\": \"[{\\\"a\\\": \\\"\\\\u0000\\\"}]\"}"),
        400);
    assertRefused(user.get("/api/deployments/hello/rpc/?a=%00"), 400);
    assertRefused(user.get("/api/sync/deployments/hello/rpc/?a=x%00"), 400);
    assertRefused(user.get("/api/deployments/hello/rpc/?%00=1"), 400);
    Http.Response form = run(user, "a=%00", "application/x-www-form-urlencoded");
    assertRefused(form, 400);
    assertThat(user.get("/api/deployments/hello/rpc/?a=%00").message()).contains("NUL character");
    assertThat(executions(user)).isZero();

    // An escaped backslash before u0000 is six ordinary characters, not a NUL: it runs.
    Http.Response literal = user.post("/api/deployments/hello/rpc/", "{\"a\": \"\\\\u0000\"}");
    assertThat(literal.status()).as(literal.body()).isEqualTo(200);
    assertThat(executions(user)).isEqualTo(1);
  }

  @Test
  void aNulCharacterInCodeOrInAnAdminLabelOrAFilterIsRefused() {
    Http.User user = newUser("nul-code");

    assertRefused(user.put("/api/deployments/", BadInputTest.createBody("nul1", "%00")), 400);
    assertRefused(
        admin()
            .post("/api/admin/accounts/" + user.username() + "/tokens", "{\"label\": \"\\u0000\"}"),
        400);
    assertRefused(user.get("/api/executions/?deployment=%00"), 400);
    assertThat(user.get("/api/deployments/").json().size()).isZero();
  }

  @Test
  void aBasicUsernameWithANulIsAWrongLoginNotAnError() {
    String pair = "a\u0000b:password1";
    Http.Response r =
        http()
            .send(
                "GET",
                "/api/account/scaling",
                "Basic "
                    + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)),
                null);

    assertRefused(r, 401);
  }

  // ---------------------------------------------------------------- undecodable parameters

  @ParameterizedTest
  @ValueSource(strings = {"a=%ZZ", "a=%C3", "%ZZ=1"})
  void aQueryParameterThatDoesNotDecodeIsA400(String query) throws IOException {
    Http.User user = userWithHello("undecodable");

    String run = raw("GET /api/deployments/hello/rpc/?" + query, user.token());
    String list = raw("GET /api/executions/?deployment=%ZZ", user.token());

    assertThat(run).startsWith("HTTP/1.1 400").contains("\"message\"");
    assertThat(list).startsWith("HTTP/1.1 400").contains("\"message\"");
    assertThat(executions(user)).isZero();
  }

  @Test
  void aPathTheFirewallRefusesGetsTheApisJsonError() throws IOException {
    Http.User user = newUser("firewall");

    String answer = raw("GET /api/deployments/;x/", user.token());

    assertThat(answer)
        .startsWith("HTTP/1.1 400")
        .contains("\"error_code\":\"rejected\"")
        .contains("\"message\":\"the request was refused: ");
  }

  /**
   * The answer to a request sent as written: Java's HTTP client refuses to send a query whose
   * percent escapes are broken, and a caller's curl does not.
   */
  private String raw(String requestLine, String token) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (requestLine
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token "
                  + token
                  + "\r\nContent-type: application/json\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aFormOrMultipartBodyThatDoesNotParseIsA400() {
    Http.User user = userWithHello("badform");

    Http.Response form = run(user, "a=%FF", "application/x-www-form-urlencoded");
    Http.Response multipart = run(user, "--x\r\nbroken", "multipart/form-data; boundary=x");

    assertRefused(form, 400);
    assertRefused(multipart, 400);
    assertThat(executions(user)).isZero();
  }

  @Test
  void aQueryNumberOfTheWrongKindSaysWhatItMustBeWithoutJavaTypes() {
    Http.User user = newUser("limit");

    Http.Response r = user.get("/api/executions/?limit=abc");

    assertRefused(r, 400);
    assertThat(r.message()).contains("limit must be a whole number").doesNotContain("java.");
  }

  // ---------------------------------------------------------------- numbers out of range

  @ParameterizedTest
  @ValueSource(strings = {"1.5", "1e10", "2147483648", "4294967297", "[]", "{}"})
  void aTimeoutThatIsNotASmallWholeNumberIsA400(String timeout) {
    Http.User user = newUser("timeout");
    String body = BadInputTest.createBody("t1", HELLO);
    body = body.substring(0, body.length() - 1) + ", \"timeout\": " + timeout + "}";

    assertRefused(user.put("/api/deployments/", body), 400);
    assertThat(user.get("/api/deployments/").json().size()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"2147483648", "4294967297", "123456789012345678901234567890"})
  void workersPastAnIntAreA400(String n) {
    Http.User user = newUser("workers");

    assertRefused(user.patch("/api/spots/", "{\"max_workers\": " + n + "}"), 400);
    assertRefused(user.patch("/api/spots/", "{\"min_workers\": " + n + "}"), 400);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"idle_minutes\": 10000000}",
        "{\"idle_minutes\": \"1e10\"}",
        "{\"idle_minutes\": \"1e999999999\"}",
        "{\"idle_minutes\": 1e999999999}",
        "{\"budget_per_day\": \"100000000\"}",
        "{\"budget_per_day\": 1e9}"
      })
  void scalingNumbersPastWhatIsStoredAreA400(String body) {
    Http.User user = newUser("scaling-big");

    assertRefused(user.patch("/api/account/scaling", body), 400);
    assertThat(user.get("/api/account/scaling").json().get("idle_minutes").asDouble())
        .isEqualTo(10.0);
  }

  // ---------------------------------------------------------------- costs' dates

  @ParameterizedTest
  @ValueSource(
      strings = {
        "from=-5000-01-01&to=-5000-01-02",
        "from=-4713-01-01&to=-4713-01-01",
        "to=-999999999-01-01",
        "from=%2B294276-12-20&to=%2B294276-12-31",
        "from=%2B999999999-12-20&to=%2B999999999-12-31",
        "from=1969-12-31&to=1970-01-01"
      })
  void costsForDatesOutsideTheYears1970To9999AreA400AtOnce(String query) {
    Http.User user = newUser("costs-dates");

    Instant start = Instant.now();
    Http.Response day = user.get("/api/account/costs?" + query);
    Http.Response month = user.get("/api/account/costs?per=month&" + query);

    assertRefused(day, 400);
    assertRefused(month, 400);
    assertThat(day.message()).contains("1970-01-01").contains("9999-12-31");
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
  }
}
