package io.faaspot.api.agentapi;

import io.faaspot.api.execution.ShutdownSignal;
import io.faaspot.api.secrets.Contexts;
import io.faaspot.api.spot.AgentIdentity;
import io.faaspot.api.web.ApiException;
import io.faaspot.scheduler.execution.ClaimedExecution;
import io.faaspot.scheduler.execution.ExecutionQueue;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One agent's stream ({@code GET /agent/v1/stream}, a WebSocket; see docs/agent-protocol.md): the
 * hot half of the protocol without a request per call. The agent grants credit (how many more calls
 * it takes now); a pump sends it calls as they come, at most its credit; the agent sends results in
 * batches and each batch is answered with what was accepted. Registration, heartbeats, hand-backs
 * and notices stay plain requests.
 */
final class AgentStream extends Endpoint {
  static final String PATH = "/agent/v1/stream";
  static final String AGENT = "faaspot.agent";
  private static final Logger log = LoggerFactory.getLogger(AgentStream.class);
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final AgentDispatch dispatch;
  private final AgentResults results;
  private final ExecutionQueue queue;
  private final ShutdownSignal shutdown;
  private final JsonMapper json;
  private final Contexts contexts;
  private final Object sending = new Object();
  private final StreamCredit credit = new StreamCredit();
  private final StringBuilder partial = new StringBuilder();
  private volatile boolean open;
  private volatile Session session;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final AgentDispatch.Looked looked = new AgentDispatch.Looked();
  // The deployment versions sent in full on this stream (the pump's alone): a failed send closes
  // the stream, so whatever is here the agent has.
  private final Set<String> sentVersions = new HashSet<>();
  private AgentIdentity agent;

  AgentStream(AgentStreamServices services) {
    this.dispatch = services.dispatch();
    this.results = services.results();
    this.queue = services.queue();
    this.shutdown = services.shutdown();
    this.json = services.json();
    this.contexts = services.contexts();
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    this.agent = (AgentIdentity) config.getUserProperties().get(AGENT);
    this.session = session;
    if (agent == null) {
      close(CloseReason.CloseCodes.VIOLATED_POLICY, "unknown or revoked agent credential");
      return;
    }
    this.open = true;
    session.setMaxIdleTimeout(0);
    session.addMessageHandler(
        String.class,
        (MessageHandler.Partial<String>)
            (part, last) -> {
              partial.append(part);
              if (last) {
                String message = partial.toString();
                partial.setLength(0);
                handle(message);
              }
            });
    Thread.ofVirtual().name("agent-stream-" + agent.spotId()).start(this::pump);
  }

  private void handle(String message) {
    JsonNode m;
    try {
      m = json.readTree(message);
    } catch (RuntimeException e) {
      close(CloseReason.CloseCodes.CANNOT_ACCEPT, "messages are JSON objects");
      return;
    }
    switch (m.path("type").asString("")) {
      case "credit" -> {
        credit.grant(m.path("calls").asInt(0));
      }
      case "results" -> {
        long seq = m.path("seq").asLong(0);
        Object answer;
        try {
          var r = results.record(agent.spotId(), m.get("results"));
          answer = new AgentProtocol.StreamAccepted("accepted", seq, r.accepted(), r.rejected());
        } catch (ApiException e) {
          answer = new AgentProtocol.StreamRefused("refused", seq, e.getMessage());
        } catch (RuntimeException e) {
          // The database, most likely: the agent sends the batch again by HTTP once this closes.
          log.warn("agent stream of spot {}: recording results failed", agent.spotId(), e);
          close(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "results could not be recorded");
          return;
        }
        send(answer);
      }
      default -> close(CloseReason.CloseCodes.CANNOT_ACCEPT, "unknown message type");
    }
  }

  /** Sends calls while the agent has credit for them. */
  private void pump() {
    try {
      while (open && !shutdown.stopping()) {
        int want = credit.await(() -> open, AgentCalls.MAX_CLAIM);
        if (!open) {
          return;
        }
        List<ClaimedExecution> calls = dispatch.next(agent, want, WAIT, closed, looked, true);
        if (calls.isEmpty()) {
          continue;
        }
        credit.spend(calls.size());
        if (!open
            || !send(
                new AgentProtocol.StreamCalls(
                    "calls",
                    calls.stream()
                        .map(c -> AgentCalls.call(c, sentVersions, contexts))
                        .toList()))) {
          // Not delivered: back to the queue at once rather than when their leases run out.
          queue.handBack(agent.spotId(), calls.stream().map(ClaimedExecution::id).toList());
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("agent stream of spot {} failed", agent.spotId(), e);
      close(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "server error");
    }
  }

  private boolean send(Object message) {
    Session s = session;
    if (s == null || !s.isOpen()) {
      return false;
    }
    try {
      String text = json.writeValueAsString(message);
      synchronized (sending) {
        s.getBasicRemote().sendText(text);
      }
      return true;
    } catch (IOException | RuntimeException e) {
      log.debug("agent stream of spot {}: send failed: {}", agent.spotId(), e.toString());
      close(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "send failed");
      return false;
    }
  }

  private void close(CloseReason.CloseCode code, String why) {
    open = false;
    closed.complete(null);
    try {
      Session s = session;
      if (s != null && s.isOpen()) {
        s.close(new CloseReason(code, why));
      }
    } catch (IOException e) {
      // Gone already.
    }
  }

  @Override
  public void onClose(Session session, CloseReason reason) {
    open = false;
    credit.wake();
    closed.complete(null);
  }

  @Override
  public void onError(Session session, Throwable error) {
    log.debug("agent stream error: {}", error.toString());
  }
}
