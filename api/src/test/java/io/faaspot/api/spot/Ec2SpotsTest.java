package io.faaspot.api.spot;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.MotoEc2;
import io.faaspot.scheduler.spot.Ec2SpotProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import tools.jackson.databind.JsonNode;

/**
 * The pool on EC2, with a real EC2 API emulator (moto) playing EC2: spots are launched, tagged,
 * found, replaced, re-addressed and terminated through the HTTP API. Since moto runs no VMs, the
 * test plays each VM's boot: it reads the instance's user data and starts the agent with the
 * registration secret it finds there, exactly as the script would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class Ec2SpotsTest {
  static final String ADMIN_TOKEN = "fst_ec2-spots-test-admin-token";
  static final String CLUSTER = "ec2test-" + UUID.randomUUID().toString().substring(0, 8);
  static final Duration WAIT = Duration.ofSeconds(90);
  static final Ec2Client EC2 = MotoEc2.CLIENT;
  static final List<Process> AGENTS = new ArrayList<>();

  /** The agent process playing each instance's VM, by instance id. */
  static final Map<String, Process> VMS = new ConcurrentHashMap<>();

  static final FakeMetadata IMDS = FakeMetadata.start();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) throws IOException {
    MotoEc2.server(r, "faaspot-ec2", ADMIN_TOKEN, CLUSTER);
    r.add("faaspot.ec2.instance-types", () -> "t3.micro,t3a.micro");
    r.add("faaspot.spots.heartbeat-timeout", () -> "6s");
    r.add("faaspot.spots.drain-timeout", () -> "40s");
    r.add("faaspot.queue.lease", () -> "6s");
    r.add("faaspot.queue.reap-interval", () -> "500ms");
    r.add("faaspot.queue.agent-heartbeat", () -> "1s");
    r.add("faaspot.api.sync-wait", () -> "60s");
  }

  @AfterAll
  static void stopAgents() {
    AGENTS.forEach(Process::destroyForcibly);
    IMDS.server.stop(0);
  }

  Http.User newUser(String prefix) {
    return new Http("http://127.0.0.1:" + port).newUser(ADMIN_TOKEN, prefix);
  }

  static String id(Http.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().asString();
  }

  static <T> T await(String what, java.util.function.Supplier<T> read, Predicate<T> done) {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      T value = read.get();
      if (done.test(value)) {
        return value;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(what + " did not happen in time; last seen: " + value);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static JsonNode awaitFinal(Http.User user, String id) {
    return await(
        "execution " + id,
        () -> user.get("/api/executions/" + id).json(),
        e -> Set.of("Success", "Failure", "Cancelled").contains(e.get("status").asString()));
  }

  static JsonNode awaitSpot(Http.User user, Predicate<JsonNode> which) {
    return await(
        "a matching spot",
        () -> {
          for (JsonNode s : user.get("/api/spots/").json()) {
            if (which.test(s)) {
              return s;
            }
          }
          return null;
        },
        s -> s != null);
  }

  static Map<String, String> tags(String instanceId) {
    return EC2
        .describeInstances(b -> b.instanceIds(instanceId))
        .reservations()
        .getFirst()
        .instances()
        .getFirst()
        .tags()
        .stream()
        .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
  }

  static String state(String instanceId) {
    return EC2.describeInstances(b -> b.instanceIds(instanceId))
        .reservations()
        .getFirst()
        .instances()
        .getFirst()
        .state()
        .nameAsString();
  }

  /** What the instance's boot script would do: start the agent with the secret in its user data. */
  static Process bootAgent(String instanceId) throws IOException {
    String encoded =
        EC2.describeInstanceAttribute(
                b -> b.instanceId(instanceId).attribute(InstanceAttributeName.USER_DATA))
            .userData()
            .value();
    String script = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    String url = find(script, "FAASPOT_URL='([^']+)'");
    String secret = find(script, "FAASPOT_REGISTRATION_SECRET=(\\S+)");
    String spot = find(script, "bootstrap for spot (\\S+) ");
    // The server's default: functions may not reach the instance metadata service.
    assertThat(script)
        .contains("--uid-owner 61000-61999 -j REJECT")
        .contains("FAASPOT_RUN_AS=61000");
    Path dir = Files.createTempDirectory("faaspot-ec2-agent");
    ProcessBuilder pb =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-XX:+UseSerialGC",
                "-jar",
                Path.of("../spot-agent/target/faaspot-agent.jar")
                    .toAbsolutePath()
                    .normalize()
                    .toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("agent.log").toFile());
    pb.environment().put("FAASPOT_URL", url);
    pb.environment().put("FAASPOT_REGISTRATION_SECRET", secret);
    pb.environment().put("FAASPOT_AGENT_DIR", dir.toString());
    pb.environment().put("FAASPOT_IMDS_URL", IMDS.url(spot));
    pb.environment().put("FAASPOT_IMDS_INTERVAL_SECONDS", "1");
    Process p = pb.start();
    AGENTS.add(p);
    VMS.put(instanceId, p);
    return p;
  }

  static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("the boot script holds " + regex).isTrue();
    return m.group(1);
  }

  /** {@code spots add --wait} on EC2: the instance launches, its agent boots and registers. */
  JsonNode addReadySpot(Http.User user) throws IOException {
    String task = id(user.put("/api/spots/", null));
    String spotId = user.get("/api/executions/" + task).json().get("spot").asString();
    JsonNode launching =
        awaitSpot(
            user, s -> s.get("id").asString().equals(spotId) && !s.get("instance_id").isNull());
    bootAgent(launching.get("instance_id").asString());
    JsonNode done = awaitFinal(user, task);
    assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("Success");
    return awaitSpot(
        user,
        s -> s.get("id").asString().equals(spotId) && s.get("state").asString().equals("Ready"));
  }

  static final String HELLO =
      "def main(args, context):\n    return 'Hello ' + args.get('name', 'world')\n";
  static final String SLEEP =
      "import time\n\ndef main(args, context):\n    time.sleep(float(args.get('sec', '0')))\n    return 'slept'\n";

  static void deploy(Http.User user, String name, String code) {
    String body =
        "{\"name\": \""
            + name
            + "\", \"code\": \""
            + io.faaspot.api.web.PercentCoding.quote(code)
            + "\", \"requirements\": \"\", \"context\": \"\"}";
    awaitFinal(user, id(user.put("/api/deployments/", body)));
  }

  @Test
  void aSpotIsATaggedSpotInstanceAndARunSucceedsOnIt() throws IOException {
    Http.User user = newUser("ec2-run");
    deploy(user, "hello", HELLO);

    JsonNode spot = addReadySpot(user);
    Http.Response run = user.get("/api/sync/deployments/hello/rpc/?name=ec2");

    String instance = spot.get("instance_id").asString();
    assertThat(instance).startsWith("i-");
    assertThat(tags(instance))
        .containsEntry(Ec2SpotProvider.TAG_CLUSTER, CLUSTER)
        .containsEntry(Ec2SpotProvider.TAG_SPOT, spot.get("id").asString());
    assertThat(spot.get("instance_type").asString()).isIn("t3.micro", "t3a.micro");
    assertThat(spot.get("availability_zone").asString()).startsWith("us-east-1");
    assertThat(spot.get("hourly_price").isNumber()).as(spot.toString()).isTrue();
    assertThat(user.get("/api/spots/" + spot.get("ip").asString()).json().get("id").asString())
        .isEqualTo(spot.get("id").asString());
    assertThat(run.status()).as(run.body()).isEqualTo(200);
    assertThat(run.json().asString()).isEqualTo("Hello ec2");
  }

  @Test
  void refreshIpGivesTheSpotANewAddressThatTheListShows() throws IOException {
    Http.User user = newUser("ec2-ip");
    JsonNode spot = addReadySpot(user);

    JsonNode task =
        awaitFinal(
            user,
            id(
                user.patch(
                    "/api/spots/", "{\"refresh_ip\": \"" + spot.get("ip").asString() + "\"}")));

    assertThat(task.get("status").asString()).as(task.toString()).isEqualTo("Success");
    JsonNode after = user.get("/api/spots/").json().get(0);
    assertThat(after.get("ip").asString()).isNotEqualTo(spot.get("ip").asString());
    assertThat(task.get("output").asString()).contains(after.get("ip").asString());
  }

  @Test
  void removeAndReplaceTerminateInstances() throws IOException {
    Http.User user = newUser("ec2-rm");
    JsonNode first = addReadySpot(user);

    String replaceTask = id(user.get("/api/spots/replace/" + first.get("ip").asString()));
    JsonNode fresh =
        awaitSpot(
            user,
            s ->
                !s.get("id").asString().equals(first.get("id").asString())
                    && !s.get("instance_id").isNull());
    bootAgent(fresh.get("instance_id").asString());
    assertThat(awaitFinal(user, replaceTask).get("status").asString()).isEqualTo("Success");
    await(
        "the old instance to be terminated",
        () -> state(first.get("instance_id").asString()),
        s -> s.equals("terminated") || s.equals("shutting-down"));

    JsonNode removal = awaitFinal(user, id(user.delete("/api/spots/")));

    assertThat(removal.get("status").asString()).isEqualTo("Success");
    await(
        "the new instance to be terminated",
        () -> state(fresh.get("instance_id").asString()),
        s -> s.equals("terminated") || s.equals("shutting-down"));
    assertThat(user.get("/api/spots/").json()).isEmpty();
  }

  @Test
  void aSpotTerminatedBehindTheServersBackIsReplacedAndItsCallsRunElsewhere() throws IOException {
    Http.User user = newUser("ec2-gone");
    deploy(user, "sleep", SLEEP);
    JsonNode spot = addReadySpot(user);
    String call = id(user.get("/api/deployments/sleep/rpc/?sec=3"));
    await(
        "the call to start",
        () -> user.get("/api/executions/" + call).json().get("status").asString(),
        s -> s.equals("Started"));

    // EC2 takes the instance back, and with it the VM its agent runs on.
    String instance = spot.get("instance_id").asString();
    EC2.terminateInstances(b -> b.instanceIds(instance));
    VMS.get(instance).destroyForcibly();
    JsonNode replacement =
        awaitSpot(
            user,
            s ->
                !s.get("id").asString().equals(spot.get("id").asString())
                    && !s.get("instance_id").isNull());
    bootAgent(replacement.get("instance_id").asString());
    JsonNode done = awaitFinal(user, call);

    assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("Success");
    assertThat(done.get("spot").asString())
        .as(done.toString())
        .isEqualTo(replacement.get("id").asString());
    assertThat(user.get("/api/spots/").json()).hasSize(1);
  }

  @Test
  void anInterruptionNoticeDrainsTheSpotLaunchesItsReplacementAndLosesNothing() throws IOException {
    Http.User user = newUser("ec2-notice");
    deploy(user, "sleep", SLEEP);
    JsonNode doomed = addReadySpot(user);
    String longCall = id(user.get("/api/deployments/sleep/rpc/?sec=60"));
    await(
        "the long call to start",
        () -> user.get("/api/executions/" + longCall).json().get("status").asString(),
        s -> s.equals("Started"));

    // The two-minute notice, shortened: the instance goes in 22 s, so the agent hands back its
    // unfinished call at once (it keeps 20 s in hand).
    IMDS.interrupt(doomed.get("id").asString(), Instant.now().plusSeconds(22));
    JsonNode replacement =
        awaitSpot(
            user,
            s ->
                !s.get("id").asString().equals(doomed.get("id").asString())
                    && !s.get("instance_id").isNull());
    assertThat(user.get("/api/spots/" + doomed.get("ip").asString()).json().get("state").asString())
        .isEqualTo("Draining");
    bootAgent(replacement.get("instance_id").asString());
    String afterNotice = id(user.get("/api/deployments/sleep/rpc/?sec=0"));

    JsonNode handedBack = awaitFinal(user, afterNotice);
    assertThat(handedBack.get("spot").asString()).isEqualTo(replacement.get("id").asString());
    JsonNode moved =
        await(
            "the long call to move",
            () -> user.get("/api/executions/" + longCall).json(),
            e -> e.get("spot").asString().equals(replacement.get("id").asString()));
    assertThat(moved.get("status").asString()).isIn("Started", "Success");
    assertThat(moved.get("attempts").asInt())
        .as("a handed-back call keeps its attempts")
        .isEqualTo(1);
    await(
        "the interrupted instance to be terminated",
        () -> state(doomed.get("instance_id").asString()),
        s -> s.equals("terminated") || s.equals("shutting-down"));
  }

  /** A stand-in for each spot's instance metadata service (IMDSv2), one path prefix per spot. */
  static final class FakeMetadata {
    final HttpServer server;
    final Map<String, Instant> notices = new ConcurrentHashMap<>();

    private FakeMetadata(HttpServer server) {
      this.server = server;
    }

    static FakeMetadata start() {
      try {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        FakeMetadata fake = new FakeMetadata(server);
        server.createContext(
            "/",
            exchange -> {
              String[] parts = exchange.getRequestURI().getPath().split("/", 3);
              String spot = parts.length > 1 ? parts[1] : "";
              String rest = parts.length > 2 ? "/" + parts[2] : "";
              int status = 404;
              String body = "";
              if (rest.equals("/latest/api/token") && exchange.getRequestMethod().equals("PUT")) {
                status = 200;
                body = "token-" + spot;
              } else if (!("token-" + spot)
                  .equals(exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token"))) {
                status = 401;
              } else if (rest.equals("/latest/meta-data/spot/instance-action")
                  && fake.notices.containsKey(spot)) {
                status = 200;
                body = "{\"action\": \"terminate\", \"time\": \"" + fake.notices.get(spot) + "\"}";
              }
              byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
              if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
              }
              exchange.close();
            });
        server.start();
        return fake;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    String url(String spot) {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + spot;
    }

    void interrupt(String spot, Instant at) {
      notices.put(spot, at);
    }
  }
}
