package io.faaspot.api.agentapi;

import static io.faaspot.api.testing.TestFunctions.deploy;
import static io.faaspot.api.testing.TestFunctions.runAsync;
import static io.faaspot.api.testing.TestFunctions.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faaspot.api.spot.SpotRegistrations;
import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.ServerTest;
import io.faaspot.api.testing.TestAgent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agent stream (docs/agent-protocol.md, "The stream") over a real WebSocket: credit in, calls
 * out, results in, acceptances out; a sync call handed straight to a waiting stream.
 */
class AgentStreamTest extends ServerTest {
  @Autowired SpotRegistrations registrations;

  private StreamClient client;

  @AfterEach
  void close() {
    if (client != null) {
      client.socket.abort();
    }
  }

  /** A WebSocket client that queues every message it gets. */
  static final class StreamClient implements WebSocket.Listener {
    final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    WebSocket socket;

    static StreamClient open(int port, String credential) throws Exception {
      StreamClient c = new StreamClient();
      var builder = HttpClient.newHttpClient().newWebSocketBuilder();
      if (credential != null) {
        builder.header("Authorization", "Bearer " + credential);
      }
      c.socket =
          builder
              .buildAsync(URI.create("ws://127.0.0.1:" + port + "/agent/v1/stream"), c)
              .get(10, TimeUnit.SECONDS);
      return c;
    }

    void send(JsonNode message) throws Exception {
      socket.sendText(message.toString(), true).get(10, TimeUnit.SECONDS);
    }

    void credit(int calls) throws Exception {
      send(Http.JSON.createObjectNode().put("type", "credit").put("calls", calls));
    }

    JsonNode next(Duration within) throws InterruptedException {
      return received.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(Http.JSON.readTree(partial.toString()));
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }

  @Test
  void anUpgradeWithoutAValidAgentCredentialIsRefused() {
    assertThatThrownBy(() -> StreamClient.open(port, null))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
    assertThatThrownBy(() -> StreamClient.open(port, "fsa_not-a-credential"))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
  }

  @Test
  void queuedCallsComeOnlyWithCreditAndResultsAreAcceptedOnce() throws Exception {
    // given two queued calls and a stream that has granted no credit yet
    var user = newUser("stream-credit");
    deploy(user, "hello");
    String first = runAsync(user, "hello", "{\"name\": \"a\"}");
    String second = runAsync(user, "hello", "{\"name\": \"b\"}");
    var agent = TestAgent.start(user, registrations);
    client = StreamClient.open(port, agent.credential());

    // then nothing is sent while it has no credit
    assertThat(client.next(Duration.ofMillis(500))).isNull();
    assertThat(status(user, first)).isEqualTo("Pending");

    // when it grants credit for one call, it gets exactly the oldest one
    client.credit(1);
    JsonNode calls = client.next(Duration.ofSeconds(10));
    assertThat(calls.get("type").asString()).isEqualTo("calls");
    assertThat(calls.get("calls")).hasSize(1);
    JsonNode call = calls.get("calls").get(0);
    assertThat(call.get("execution_id").asString()).isEqualTo(first);
    assertThat(call.get("args").get("name").asString()).isEqualTo("a");
    assertThat(call.get("deployment").get("code").asString()).contains("def main");
    assertThat(client.next(Duration.ofMillis(300))).isNull();
    assertThat(status(user, second)).isEqualTo("Pending");

    // and its result, sent twice, is accepted once and refused the second time
    ObjectNode results = Http.JSON.createObjectNode().put("type", "results").put("seq", 7);
    ArrayNode list = results.putArray("results");
    list.add(TestAgent.success(call, "Hello a", "printed"));
    client.send(results);
    JsonNode accepted = client.next(Duration.ofSeconds(10));
    assertThat(accepted.get("type").asString()).isEqualTo("accepted");
    assertThat(accepted.get("seq").asLong()).isEqualTo(7);
    assertThat(TestAgent.ids(accepted.get("accepted"))).containsExactly(first);
    results.put("seq", 8);
    client.send(results);
    JsonNode again = client.next(Duration.ofSeconds(10));
    assertThat(TestAgent.ids(again.get("accepted"))).isEmpty();
    assertThat(TestAgent.ids(again.get("rejected"))).containsExactly(first);

    var done = user.get("/api/executions/" + first).json();
    assertThat(done.get("status").asString()).isEqualTo("Success");
    assertThat(done.get("output").asString()).isEqualTo("Hello a");
    assertThat(done.get("logs").asString()).isEqualTo("printed");

    // and a malformed batch is refused by name, the stream staying open
    client.send(Http.JSON.createObjectNode().put("type", "results").put("seq", 9));
    JsonNode refused = client.next(Duration.ofSeconds(10));
    assertThat(refused.get("type").asString()).isEqualTo("refused");
    assertThat(refused.get("message").asString()).contains("results must be an array");
    client.credit(1);
    JsonNode next = client.next(Duration.ofSeconds(10));
    assertThat(next.get("calls").get(0).get("execution_id").asString()).isEqualTo(second);

    // and that second call of the same version names it without sending its content again
    JsonNode repeated = next.get("calls").get(0).get("deployment");
    assertThat(repeated.get("repeat").asBoolean()).isTrue();
    assertThat(repeated.get("version").asInt()).isEqualTo(1);
    assertThat(repeated.has("code")).isFalse();
    assertThat(repeated.has("requirements")).isFalse();
    assertThat(repeated.has("context")).isFalse();
  }

  @Test
  void aNewStreamGetsTheDeploymentInFullAgain() throws Exception {
    // given a call of a version already sent in full over an earlier stream of the same agent
    var user = newUser("stream-again");
    deploy(user, "hello");
    runAsync(user, "hello", "{}");
    var agent = TestAgent.start(user, registrations);
    client = StreamClient.open(port, agent.credential());
    client.credit(1);
    JsonNode first = client.next(Duration.ofSeconds(10)).get("calls").get(0).get("deployment");
    assertThat(first.get("code").asString()).contains("def main");
    client.socket.abort();
    runAsync(user, "hello", "{}");

    // when the agent opens a new stream and takes the next call of that version
    client = StreamClient.open(port, agent.credential());
    client.credit(1);
    JsonNode call = client.next(Duration.ofSeconds(10)).get("calls").get(0);

    // then it comes with the code again: what a stream sent is not assumed by the next one
    assertThat(call.get("deployment").get("version").asInt()).isEqualTo(1);
    assertThat(call.get("deployment").get("code").asString()).contains("def main");
    assertThat(call.get("deployment").has("repeat")).isFalse();
  }

  @Test
  void aSyncCallIsHandedStraightToAWaitingStreamAndAnsweredFromItsResult() throws Exception {
    // given a stream with credit and nothing queued
    var user = newUser("stream-sync");
    deploy(user, "hello");
    var agent = TestAgent.start(user, registrations);
    client = StreamClient.open(port, agent.credential());
    client.credit(2);
    assertThat(client.next(Duration.ofMillis(300))).isNull();

    // when a sync call is made, the stream gets it and answers it
    CompletableFuture<Http.Response> answer =
        CompletableFuture.supplyAsync(
            () -> user.get("/api/sync/deployments/hello/rpc/?name=stream"));
    JsonNode calls = client.next(Duration.ofSeconds(10));
    JsonNode call = calls.get("calls").get(0);
    assertThat(call.get("attempt").asInt()).isEqualTo(1);
    ObjectNode results = Http.JSON.createObjectNode().put("type", "results").put("seq", 1);
    results.putArray("results").add(TestAgent.success(call, "Hello stream", ""));
    client.send(results);

    // then the caller gets the function's answer
    Http.Response r = answer.get(10, TimeUnit.SECONDS);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().asString()).isEqualTo("Hello stream");
    // and the call was never queued: it was leased to the spot the moment it was made
    var e = user.get("/api/executions/" + call.get("execution_id").asString()).json();
    assertThat(e.get("started").asString()).isEqualTo(e.get("created").asString());
    assertThat(e.get("spot").asString()).isEqualTo(agent.spotId().toString());
  }

  @Test
  void aClosedStreamsCreditIsGoneAndItsCallsWaitForTheNextAgent() throws Exception {
    // given a stream that granted credit, then went away
    var user = newUser("stream-closed");
    deploy(user, "hello");
    var agent = TestAgent.start(user, registrations);
    client = StreamClient.open(port, agent.credential());
    client.credit(5);
    assertThat(client.next(Duration.ofMillis(300))).isNull();
    client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    Thread.sleep(300);

    // when a call is made
    String id = runAsync(user, "hello", "{}");

    // then it is queued, not lost to the closed stream, and the next claim gets it
    JsonNode claimed = agent.claimOne(10);
    assertThat(claimed.get("execution_id").asString()).isEqualTo(id);
    assertThat(claimed.get("attempt").asInt()).isEqualTo(1);
  }
}
