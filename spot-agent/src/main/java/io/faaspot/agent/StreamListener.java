package io.faaspot.agent;

import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * What comes in over the {@link Stream}: calls, handed to {@code onCalls} as they arrive; the
 * server's answers to result batches, which complete the sender's wait by sequence number; and the
 * stream's end, with its reason. It never sends: sending (serialised) is the stream's.
 */
final class StreamListener implements WebSocket.Listener {
  private final Consumer<JsonNode> onCalls;
  private final Map<Long, CompletableFuture<JsonNode>> acks;
  private final CompletableFuture<String> closed;
  private final StringBuilder partial = new StringBuilder();

  StreamListener(
      Consumer<JsonNode> onCalls,
      Map<Long, CompletableFuture<JsonNode>> acks,
      CompletableFuture<String> closed) {
    this.onCalls = onCalls;
    this.acks = acks;
    this.closed = closed;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String text = partial.toString();
      partial.setLength(0);
      try {
        JsonNode m = ServerClient.JSON.readTree(text);
        switch (m.path("type").asString("")) {
          case "calls" -> onCalls.accept(m.path("calls"));
          case "accepted", "refused" -> {
            CompletableFuture<JsonNode> ack = acks.get(m.path("seq").asLong());
            if (ack != null) {
              ack.complete(m);
            }
          }
          default -> Log.warn("ignoring a stream message of type '%s'", m.path("type").asString());
        }
      } catch (RuntimeException e) {
        Log.warn("unreadable stream message: %s", e.getMessage());
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(
        "closed by the server (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")");
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete("failed: " + error);
  }
}
