package io.faaspot.api.testing;

import io.faaspot.api.spot.SpotRegistrations;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plays a spot agent over real HTTP, as docs/agent-protocol.md describes it: registers with a
 * one-time secret, then claims work, reports results and heartbeats with its credential. Answers
 * come back as parsed JSON; the {@code ...Response} variants return the raw response for tests of
 * refusals.
 */
public final class TestAgent {
  /** Test spots get distinct addresses, so that a test can name each by its IP. */
  private static final AtomicInteger NEXT_IP = new AtomicInteger(1);

  private final Http http;
  private final UUID spotId;
  private final String credential;

  private TestAgent(Http http, UUID spotId, String credential) {
    this.http = http;
    this.spotId = spotId;
    this.credential = credential;
  }

  /**
   * A spot the user asked for ({@code PUT /api/spots/}) that a provider has launched: its create
   * task, its id and address, and the one-time secret its agent registers with.
   */
  public record LaunchedSpot(String createTask, UUID spotId, String ip, String secret) {}

  /** Asks for a spot as the user and opens its registration, as a spot provider would. */
  public static LaunchedSpot launchSpot(Http.User user, SpotRegistrations registrations) {
    Http.Response added = user.put("/api/spots/", null);
    if (added.status() != 200) {
      throw new AssertionError("cannot add a spot: " + added);
    }
    String task = added.json().asString();
    Http.Response execution = user.get("/api/executions/" + task);
    UUID spotId = UUID.fromString(execution.json().get("spot").asString());
    String ip = nextIp();
    String secret = registrations.openRegistration(spotId, "i-test-" + spotId, ip);
    return new LaunchedSpot(task, spotId, ip, secret);
  }

  /** A spot of the user with a registered agent: the shortest way to a working agent. */
  public static TestAgent start(Http.User user, SpotRegistrations registrations) {
    return register(user.http(), launchSpot(user, registrations).secret());
  }

  /** Trades a registration secret for a credential; fails the test if refused. */
  public static TestAgent register(Http http, String secret) {
    Http.Response r = registerResponse(http, secret);
    if (r.status() != 200) {
      throw new AssertionError("registration refused: " + r);
    }
    JsonNode body = r.json();
    return new TestAgent(
        http, UUID.fromString(body.get("spot_id").asString()), body.get("credential").asString());
  }

  public static Http.Response registerResponse(Http http, String secret) {
    ObjectNode body = Http.JSON.createObjectNode();
    body.put("registration_secret", secret);
    body.put("hostname", "test-agent");
    body.put("agent_version", "test");
    body.put("python_version", "3");
    return http.send("POST", "/agent/v1/register", null, body.toString());
  }

  public UUID spotId() {
    return spotId;
  }

  public String credential() {
    return credential;
  }

  public String auth() {
    return "Bearer " + credential;
  }

  /** {@code {"calls": [...], "drain": bool}}; fails the test unless the answer is 200. */
  public JsonNode claim(int max, double waitSeconds) {
    return ok(claimResponse(max, waitSeconds));
  }

  public Http.Response claimResponse(int max, double waitSeconds) {
    ObjectNode body = Http.JSON.createObjectNode();
    body.put("max", max);
    body.put("wait_seconds", waitSeconds);
    return http.send("POST", "/agent/v1/claim", auth(), body.toString());
  }

  /** Claims exactly one call, waiting up to {@code waitSeconds} for it. */
  public JsonNode claimOne(double waitSeconds) {
    JsonNode calls = claim(1, waitSeconds).get("calls");
    if (calls.size() != 1) {
      throw new AssertionError("expected one call, got " + calls);
    }
    return calls.get(0);
  }

  /** {@code {"accepted": [...], "rejected": [...]}}. */
  public JsonNode results(List<? extends JsonNode> results) {
    return ok(resultsResponse(results));
  }

  public JsonNode results(JsonNode... results) {
    return results(Arrays.asList(results));
  }

  public Http.Response resultsResponse(List<? extends JsonNode> results) {
    ObjectNode body = Http.JSON.createObjectNode();
    ArrayNode list = body.putArray("results");
    results.forEach(list::add);
    return http.send("POST", "/agent/v1/results", auth(), body.toString());
  }

  /** {@code {"extended", "cancel", "lost", "drain", ...}}. */
  public JsonNode heartbeat(String... running) {
    return ok(heartbeatResponse(running));
  }

  public Http.Response heartbeatResponse(String... running) {
    ObjectNode body = Http.JSON.createObjectNode();
    ArrayNode list = body.putArray("running");
    Arrays.stream(running).forEach(list::add);
    return http.send("POST", "/agent/v1/heartbeat", auth(), body.toString());
  }

  /** {@code {"released": [...]}}: hands calls back as a stopping agent does. */
  public JsonNode release(String... executionIds) {
    ObjectNode body = Http.JSON.createObjectNode();
    ArrayNode list = body.putArray("execution_ids");
    Arrays.stream(executionIds).forEach(list::add);
    return ok(http.send("POST", "/agent/v1/release", auth(), body.toString()));
  }

  /** A Success result for a claimed call; {@code output} is any value Jackson can write. */
  public static ObjectNode success(JsonNode call, Object output, String logs) {
    ObjectNode r =
        result(call.get("execution_id").asString(), call.get("attempt").asInt(), "Success");
    r.set("output", Http.JSON.valueToTree(output));
    r.put("logs", logs);
    return r;
  }

  /** A Failure result for a claimed call, its output the error text (a traceback). */
  public static ObjectNode failure(JsonNode call, String traceback) {
    return result(call.get("execution_id").asString(), call.get("attempt").asInt(), "Failure")
        .put("output", traceback)
        .put("logs", "");
  }

  /** A result naming any execution id and attempt, for tests of refused results. */
  public static ObjectNode result(String executionId, int attempt, String status) {
    ObjectNode r = Http.JSON.createObjectNode();
    r.put("execution_id", executionId);
    r.put("attempt", attempt);
    r.put("status", status);
    return r;
  }

  /** The ids in a JSON array of strings, e.g. {@code accepted} or {@code cancel}. */
  public static List<String> ids(JsonNode array) {
    return array.valueStream().map(JsonNode::asString).toList();
  }

  private static JsonNode ok(Http.Response r) {
    if (r.status() != 200) {
      throw new AssertionError("agent request refused: " + r);
    }
    return r.json();
  }

  private static String nextIp() {
    int n = NEXT_IP.getAndIncrement();
    return "10.77." + (n / 250) % 250 + "." + (n % 250 + 1);
  }
}
