package io.faaspot.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agent's end of the stream ({@code /agent/v1/stream}, a WebSocket; docs/agent-protocol.md):
 * credit out, calls in, results out, acceptances in. Sends are serialised (a WebSocket takes one at
 * a time); what comes in is the {@link StreamListener}'s: calls are handed to {@code onCalls} as
 * they arrive.
 */
final class Stream implements AutoCloseable {
  private final Object sending = new Object();
  private final AtomicLong seq = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> acks = new ConcurrentHashMap<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private volatile WebSocket socket;

  private Stream() {}

  /**
   * The stream's own client: its messages are handled on the client's selector thread itself (they
   * are only parsed and handed on), not passed to another thread first.
   */
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .executor(Runnable::run)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  static Stream open(URI server, String credential, Consumer<JsonNode> onCalls)
      throws IOException, InterruptedException {
    HttpClient http = HTTP;
    String scheme = server.getScheme().equalsIgnoreCase("https") ? "wss" : "ws";
    URI uri = URI.create(scheme + server.toString().substring(server.getScheme().length()));
    uri = uri.resolve("/agent/v1/stream");
    Stream stream = new Stream();
    try {
      stream.socket =
          http.newWebSocketBuilder()
              .header("Authorization", "Bearer " + credential)
              .connectTimeout(Duration.ofSeconds(10))
              .buildAsync(uri, new StreamListener(onCalls, stream.acks, stream.closed))
              .get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        int status = h.getResponse().statusCode();
        if (status == 401) {
          throw new Revoked("the stream refused this agent's credential");
        }
        throw new StreamUnsupported("the server answered the stream's upgrade with " + status);
      }
      throw new IOException("cannot open the stream: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("cannot open the stream: no answer in 15 s");
    }
    return stream;
  }

  /** The agent can take {@code calls} more calls now. */
  void credit(int calls) throws IOException {
    ObjectNode m = ServerClient.JSON.createObjectNode();
    m.put("type", "credit");
    m.put("calls", calls);
    send(m);
  }

  /** Sends a batch of results and waits for the server's answer to it. */
  JsonNode results(ArrayNode results, Duration timeout) throws IOException, InterruptedException {
    long n = seq.incrementAndGet();
    ObjectNode m = ServerClient.JSON.createObjectNode();
    m.put("type", "results");
    m.put("seq", n);
    m.set("results", results);
    CompletableFuture<JsonNode> ack = new CompletableFuture<>();
    acks.put(n, ack);
    try {
      send(m);
      JsonNode answer =
          CompletableFuture.anyOf(ack, closed).get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                  instanceof JsonNode a
              ? a
              : null;
      if (answer == null) {
        throw new IOException("the stream closed before the results were answered");
      }
      if ("refused".equals(answer.path("type").asString())) {
        throw new IOException("results refused: " + answer.path("message").asString());
      }
      return answer;
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("no answer to the results: " + e);
    } finally {
      acks.remove(n);
    }
  }

  private void send(JsonNode message) throws IOException {
    WebSocket ws = socket;
    if (ws == null || closed.isDone()) {
      throw new IOException("the stream is closed");
    }
    String text = ServerClient.JSON.writeValueAsString(message);
    synchronized (sending) {
      try {
        ws.sendText(text, true).get(30, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        closed.complete("send failed: " + e);
        throw new IOException("stream send failed: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while sending");
      }
    }
  }

  boolean isOpen() {
    return !closed.isDone();
  }

  /** Completes, with the reason, once the stream is closed. */
  CompletableFuture<String> closed() {
    return closed;
  }

  @Override
  public void close() {
    WebSocket ws = socket;
    if (ws != null && !closed.isDone()) {
      try {
        synchronized (sending) {
          ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        }
      } catch (ExecutionException | TimeoutException e) {
        ws.abort();
      } catch (InterruptedException e) {
        ws.abort();
        Thread.currentThread().interrupt();
      }
    }
    closed.complete("closed by the agent");
  }
}
