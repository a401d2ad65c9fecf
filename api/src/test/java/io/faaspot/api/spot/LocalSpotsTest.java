package io.faaspot.api.spot;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.Http;
import io.faaspot.api.web.PercentCoding;
import io.faaspot.scheduler.spot.LocalSpotProvider;
import io.faaspot.scheduler.spot.SpotProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Functions actually run: the real server, the local provider starting real agent processes (the
 * same jar as on EC2), real python3 and pip against the machine's package index.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LocalSpotsTest {
  static final String ADMIN_TOKEN = "fst_local-spots-test-admin-token";
  static final Duration WAIT = Duration.ofSeconds(90);

  @LocalServerPort int port;
  @Autowired SpotProvider provider;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) throws IOException {
    localSpots(r, dataDir("faaspot-local-spots"), ADMIN_TOKEN);
  }

  /** A data directory world-readable, as one made by an operator is: functions run as nobody. */
  static Path dataDir(String prefix) throws IOException {
    return Files.createTempDirectory(
        prefix,
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
  }

  /** A server with local spots, and short timings so that losses are noticed within seconds. */
  static void localSpots(DynamicPropertyRegistry r, Path data, String adminToken) {
    r.add("faaspot.data-dir", data::toString);
    r.add("faaspot.admin-token", () -> adminToken);
    r.add("faaspot.spots.provider", () -> "local");
    r.add("faaspot.spots.reconcile-interval", () -> "200ms");
    r.add("faaspot.spots.heartbeat-timeout", () -> "6s");
    r.add("faaspot.spots.drain-timeout", () -> "20s");
    r.add("faaspot.queue.lease", () -> "6s");
    r.add("faaspot.queue.reap-interval", () -> "500ms");
    r.add("faaspot.queue.agent-heartbeat", () -> "1s");
    r.add("faaspot.api.sync-wait", () -> "60s");
  }

  Http.User newUser(String prefix) {
    return new Http("http://127.0.0.1:" + port).newUser(ADMIN_TOKEN, prefix);
  }

  static String quote(String s) {
    return PercentCoding.quote(s);
  }

  static String id(Http.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().asString();
  }

  /** Polls an execution until it is final (an observation with a deadline, not a sleep). */
  static JsonNode awaitFinal(Http.User user, String id) {
    return awaitExecution(
        user,
        id,
        e -> List.of("Success", "Failure", "Cancelled").contains(e.get("status").asString()));
  }

  static JsonNode awaitExecution(Http.User user, String id, Predicate<JsonNode> done) {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      JsonNode e = user.get("/api/executions/" + id).json();
      if (done.test(e)) {
        return e;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("execution " + id + " did not get there in time: " + e);
      }
      pause();
    }
  }

  static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** {@code fas spots add --wait}: the task ends when the agent is registered and ready. */
  static JsonNode addSpotAndWait(Http.User user) {
    JsonNode task = awaitFinal(user, id(user.put("/api/spots/", null)));
    assertThat(task.get("status").asString()).as(task.toString()).isEqualTo("Success");
    String ip = task.get("output").get("ip").asString();
    assertThat(ip).startsWith("127.0.1.");
    JsonNode spot = user.get("/api/spots/" + ip).json();
    assertThat(spot.get("state").asString()).isEqualTo("Ready");
    return spot;
  }

  static JsonNode deploy(
      Http.User user,
      String name,
      String code,
      String requirements,
      String context,
      Integer timeout) {
    String body =
        "{\"name\": \""
            + name
            + "\", \"code\": \""
            + quote(code)
            + "\", \"requirements\": \""
            + quote(requirements)
            + "\", \"context\": \""
            + quote(context)
            + "\""
            + (timeout == null ? "" : ", \"timeout\": \"" + timeout + "\"")
            + "}";
    return awaitFinal(user, id(user.put("/api/deployments/", body)));
  }

  static final String HELLO =
      """
      def main(args, context):
          name = args.get("name", "world")
          return "Hello {}".format(name)
      """;

  static final String SLEEP =
      """
      import time

      def main(args, context):
          sec = args.get("sec", "0")
          time.sleep(float(sec))
          return "Slept for {} seconds".format(sec)
      """;

  @Test
  void theSeedWalkthroughRunsHelloSyncAsyncAndInBulk() {
    Http.User user = newUser("seed");
    JsonNode created = deploy(user, "hello", HELLO, "", "", null);
    assertThat(created.get("status").asString()).isEqualTo("Success");
    addSpotAndWait(user);

    Http.Response sync = user.get("/api/sync/deployments/hello/rpc/?name=user1");
    String asyncId = id(user.get("/api/deployments/hello/rpc/?name=user1"));
    StringBuilder bulk = new StringBuilder("[");
    for (int i = 0; i < 100; i++) {
      bulk.append(i == 0 ? "" : ",").append("{\"name\": \"u").append(i).append("\"}");
    }
    Http.Response bulkIds =
        user.post("/api/deployments/hello/bulk_rpc/", bulk.append("]").toString());

    assertThat(sync.status()).isEqualTo(200);
    assertThat(sync.json().asString()).isEqualTo("Hello user1");
    JsonNode async = awaitFinal(user, asyncId);
    assertThat(async.get("status").asString()).isEqualTo("Success");
    assertThat(async.get("output").asString()).isEqualTo("Hello user1");
    JsonNode timings = async.get("timings");
    assertThat(timings.get("queued_ms").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(timings.get("dispatch_ms").isNumber()).isTrue();
    assertThat(timings.get("run_ms").asDouble()).isGreaterThanOrEqualTo(0).isLessThan(5000);
    assertThat(timings.get("report_ms").isNumber()).isTrue();
    assertThat(bulkIds.json()).hasSize(100);
    for (int i = 0; i < 100; i++) {
      JsonNode e = awaitFinal(user, bulkIds.json().get(i).asString());
      assertThat(e.get("status").asString()).isEqualTo("Success");
      assertThat(e.get("output").asString()).isEqualTo("Hello u" + i);
    }
  }

  @Test
  void requirementsComeFromThePipIndexAndAnEnvironmentIsBuiltOncePerSpot() {
    Http.User user = newUser("reqs");
    addSpotAndWait(user);
    String code = "import six\n\ndef main(args, context):\n    return six.__version__\n";

    JsonNode first = deploy(user, "first", code, "six\n", "", null);
    JsonNode second =
        deploy(user, "second", code, "# the same, written differently\nSix  \n", "", null);
    Http.Response run = user.get("/api/sync/deployments/second/rpc/");

    assertThat(first.get("status").asString()).as(first.toString()).isEqualTo("Success");
    assertThat(first.get("output").get("environment_built").asBoolean()).isTrue();
    assertThat(second.get("status").asString()).as(second.toString()).isEqualTo("Success");
    assertThat(second.get("output").get("environment_built").asBoolean())
        .as("no second build")
        .isFalse();
    assertThat(second.get("output").get("environment").asString())
        .isEqualTo(first.get("output").get("environment").asString());
    assertThat(run.status()).as(run.body()).isEqualTo(200);
    assertThat(run.json().asString()).matches("\\d+\\.\\d+\\.\\d+");
  }

  @Test
  void aBadRequirementEndsTheCreateTaskInFailureWithPipsMessage() {
    Http.User user = newUser("badreq");
    addSpotAndWait(user);

    JsonNode task =
        deploy(user, "broken", HELLO, "no-such-package-faaspot-test==9.9.9\n", "", null);

    assertThat(task.get("status").asString()).isEqualTo("Failure");
    assertThat(task.get("output").asString())
        .contains("no-such-package-faaspot-test")
        .containsIgnoringCase("no matching distribution");
  }

  @Test
  void contextPrintsExceptionsAndTimeoutsBehaveAsTheirUsersExpect() {
    Http.User user = newUser("behave");
    addSpotAndWait(user);
    String code =
        """
        import time

        def main(args, context):
            print("printing does not break the call")
            if args.get("fail"):
                raise ValueError("the function failed on purpose")
            time.sleep(float(args.get("sec", "0")))
            return context
        """;
    deploy(user, "behave", code, "", "access_key = \"XYZ\"\nREGION='eu'\nPLAIN=value\n", 2);

    JsonNode ok = awaitFinal(user, id(user.get("/api/deployments/behave/rpc/")));
    Http.Response failed = user.get("/api/sync/deployments/behave/rpc/?fail=1");
    JsonNode failedExecution =
        user.get("/api/executions/" + failed.json().get("execution_id").asString()).json();
    JsonNode timedOut = awaitFinal(user, id(user.get("/api/deployments/behave/rpc/?sec=10")));
    Http.Response after = user.get("/api/sync/deployments/behave/rpc/");

    assertThat(ok.get("status").asString()).isEqualTo("Success");
    assertThat(ok.get("output").get("access_key").asString()).isEqualTo("XYZ");
    assertThat(ok.get("output").get("REGION").asString()).isEqualTo("eu");
    assertThat(ok.get("output").get("PLAIN").asString()).isEqualTo("value");
    assertThat(ok.get("logs").asString()).contains("printing does not break the call");
    assertThat(ok.get("output").has("USER_ID")).isFalse();
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.message())
        .contains("Traceback")
        .contains("ValueError: the function failed on purpose");
    assertThat(failedExecution.get("status").asString()).isEqualTo("Failure");
    assertThat(failedExecution.get("output").asString()).contains("ValueError");
    assertThat(timedOut.get("status").asString()).isEqualTo("Failure");
    assertThat(timedOut.get("output").asString()).contains("Timed out after 2 s");
    assertThat(after.status()).as("the next call works").isEqualTo(200);
    assertThat(after.json().get("access_key").asString()).isEqualTo("XYZ");
  }

  @Test
  void aKilledAgentsCallGoesBackToTheQueueAndCompletesOnAnotherSpot() {
    killedAgentsCallCompletesOnAnotherSpot(newUser("kill"), provider);
  }

  /**
   * Two spots; the agent running a 3 s call is killed ({@code kill -9}); the call completes on the
   * other spot at attempt 2.
   */
  static void killedAgentsCallCompletesOnAnotherSpot(Http.User user, SpotProvider provider) {
    deploy(user, "sleep", SLEEP, "", "", null);
    addSpotAndWait(user);
    addSpotAndWait(user);
    String id = id(user.get("/api/deployments/sleep/rpc/?sec=3"));
    JsonNode started = awaitExecution(user, id, e -> e.get("status").asString().equals("Started"));
    String victim = started.get("spot").asString();
    String instance = instanceOf(user, victim);

    ((LocalSpotProvider) provider).kill(instance);
    JsonNode done = awaitFinal(user, id);

    assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("Success");
    assertThat(done.get("output").asString()).isEqualTo("Slept for 3 seconds");
    assertThat(done.get("attempts").asInt()).isEqualTo(2);
    assertThat(done.get("spot").asString()).isNotEqualTo(victim);
  }

  @Test
  void cancelStopsARunningCallAndFreesItsWorker() {
    Http.User user = newUser("cancel");
    assertThat(
            user.patch("/api/spots/", "{\"min_workers\": \"0\", \"max_workers\": \"1\"}").status())
        .isEqualTo(200);
    deploy(user, "sleep", SLEEP, "", "", null);
    addSpotAndWait(user);
    String id = id(user.get("/api/deployments/sleep/rpc/?sec=30"));
    awaitExecution(user, id, e -> e.get("status").asString().equals("Started"));

    Http.Response cancelled = user.delete("/api/executions/" + id);
    Instant before = Instant.now();
    Http.Response next = user.get("/api/sync/deployments/sleep/rpc/?sec=0");

    assertThat(cancelled.json().get("status").asString()).isEqualTo("Cancelled");
    assertThat(next.status()).as(next.body()).isEqualTo(200);
    assertThat(Duration.between(before, Instant.now()))
        .as("the only worker was freed by the cancel, not by the 30 s sleep ending")
        .isLessThan(Duration.ofSeconds(15));
    assertThat(user.get("/api/executions/" + id).json().get("status").asString())
        .isEqualTo("Cancelled");
  }

  @Test
  void maxWorkersBoundsHowManyCallsASpotRunsAtOnce() {
    Http.User user = newUser("bounds");
    Http.Response settings =
        user.patch("/api/spots/", "{\"min_workers\": \"1\", \"max_workers\": \"3\"}");
    assertThat(settings.json().get("max_workers").asInt()).isEqualTo(3);
    // Each call reports when it ran, by the spot's own clock: the server's started/finished
    // times include queueing and result batching, which overlap neighbouring calls.
    String timed =
        """
        import time

        def main(args, context):
            start = time.time()
            time.sleep(float(args.get("sec", "0")))
            return {"start": start, "end": time.time()}
        """;
    deploy(user, "timed", timed, "", "", null);
    addSpotAndWait(user);

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ids.add(id(user.get("/api/deployments/timed/rpc/?sec=1.5")));
    }
    List<double[]> spans = new ArrayList<>();
    for (String id : ids) {
      JsonNode e = awaitFinal(user, id);
      assertThat(e.get("status").asString()).isEqualTo("Success");
      spans.add(
          new double[] {
            e.get("output").get("start").asDouble(), e.get("output").get("end").asDouble()
          });
    }

    int most = 0;
    for (double[] s : spans) {
      double t = s[0] + 0.001;
      most = Math.max(most, (int) spans.stream().filter(o -> o[0] <= t && o[1] > t).count());
    }
    assertThat(most).as("calls running at once").isEqualTo(3);
  }

  @Test
  void eachAccountsCallsRunOnlyOnItsOwnSpots() {
    Http.User a = newUser("tenant-a");
    Http.User b = newUser("tenant-b");
    deploy(a, "hello", HELLO, "", "", null);
    deploy(b, "hello", HELLO, "", "", null);
    String spotA = addSpotAndWait(a).get("id").asString();
    String spotB = addSpotAndWait(b).get("id").asString();

    List<String> idsA = new ArrayList<>();
    List<String> idsB = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      idsA.add(id(a.get("/api/deployments/hello/rpc/?name=a")));
      idsB.add(id(b.get("/api/deployments/hello/rpc/?name=b")));
    }

    for (String id : idsA) {
      assertThat(awaitFinal(a, id).get("spot").asString()).isEqualTo(spotA);
    }
    for (String id : idsB) {
      assertThat(awaitFinal(b, id).get("spot").asString()).isEqualTo(spotB);
    }
  }

  @Test
  void removeDrainsTheSpotThenStopsItsAgent() {
    Http.User user = newUser("remove");
    deploy(user, "sleep", SLEEP, "", "", null);
    JsonNode spot = addSpotAndWait(user);
    String running = id(user.get("/api/deployments/sleep/rpc/?sec=2"));
    awaitExecution(user, running, e -> e.get("status").asString().equals("Started"));

    JsonNode removal = awaitFinal(user, id(user.delete("/api/spots/" + spot.get("ip").asString())));

    assertThat(removal.get("status").asString()).isEqualTo("Success");
    assertThat(awaitFinal(user, running).get("status").asString())
        .as("the running call finished on the draining spot")
        .isEqualTo("Success");
    assertThat(provider.isAlive(spot.get("instance_id").asString())).isFalse();
    assertThat(user.get("/api/spots/").json()).isEmpty();
  }

  @Test
  void replaceLaunchesANewSpotBeforeStoppingTheOld() {
    Http.User user = newUser("replace");
    JsonNode old = addSpotAndWait(user);

    JsonNode task =
        awaitFinal(user, id(user.get("/api/spots/replace/" + old.get("ip").asString())));
    JsonNode after =
        awaitSpots(
            user,
            spots -> spots.size() == 1 && spots.get(0).get("state").asString().equals("Ready"));

    assertThat(task.get("status").asString()).as(task.toString()).isEqualTo("Success");
    assertThat(after.get(0).get("id").asString()).isNotEqualTo(old.get("id").asString());
    assertThat(provider.isAlive(old.get("instance_id").asString())).isFalse();
  }

  @Test
  void theSleepSampleRunsAsItsUsersExpect() {
    Http.User user = newUser("sample");
    deploy(user, "sleep", SLEEP, "", "", null);
    addSpotAndWait(user);

    Http.Response r = user.get("/api/sync/deployments/sleep/rpc/?sec=1");

    assertThat(r.json().asString()).isEqualTo("Slept for 1 seconds");
  }

  @Test
  void theGetContentSampleFetchesAUrlWithTheShPackage() throws Exception {
    Assumptions.assumeTrue(
        pipCanInstall("sh"),
        "the sh package is not on this machine's pip index; the sample cannot install");
    Http.User user = newUser("content");
    String code =
        """
        from sh import curl

        def main(args, context):
            return str(curl(args["url"]))
        """;
    JsonNode task = deploy(user, "get-content", code, "sh\n", "", null);
    assertThat(task.get("status").asString()).isEqualTo("Success");
    addSpotAndWait(user);

    Http.Response r =
        user.get(
            "/api/sync/deployments/get-content/rpc/?url=http://127.0.0.1:"
                + port
                + "/actuator/health");

    assertThat(r.json().asString()).contains("UP");
  }

  static boolean pipCanInstall(String pkg) throws Exception {
    Path dir = Files.createTempDirectory("pip-probe");
    Process p =
        new ProcessBuilder(
                "python3", "-m", "pip", "download", "-q", "--no-deps", "-d", dir.toString(), pkg)
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0;
  }

  static JsonNode awaitSpots(Http.User user, Predicate<JsonNode> done) {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      JsonNode spots = user.get("/api/spots/").json();
      if (done.test(spots)) {
        return spots;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("spots did not settle: " + spots);
      }
      pause();
    }
  }

  static String instanceOf(Http.User user, String spotId) {
    for (JsonNode s : user.get("/api/spots/").json()) {
      if (s.get("id").asString().equals(spotId)) {
        return s.get("instance_id").asString();
      }
    }
    throw new AssertionError("no spot " + spotId);
  }
}
