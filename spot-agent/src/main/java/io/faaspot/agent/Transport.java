package io.faaspot.agent;

import io.faaspot.agent.Lifecycle.State;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How calls reach this agent while it runs: over the stream (a WebSocket: credit out, calls in),
 * or, where the server has none, by HTTP long polls. A failed stream or poll backs off and tries
 * again; the server forgetting this spot stops the agent.
 */
final class Transport {
  private final ServerClient server;
  private final Lifecycle lifecycle;
  private final Intake intake;
  private volatile boolean useStream;
  private volatile Duration pollWait = Duration.ofSeconds(20);

  /** The open stream, if calls and results go over one now. */
  private final AtomicReference<Stream> stream;

  Transport(
      ServerClient server,
      Lifecycle lifecycle,
      Intake intake,
      boolean useStream,
      AtomicReference<Stream> stream) {
    this.server = server;
    this.lifecycle = lifecycle;
    this.intake = intake;
    this.useStream = useStream;
    this.stream = stream;
  }

  /** How long a long poll waits at most, as the server registered this spot. */
  void pollWait(Duration wait) {
    pollWait = wait;
  }

  /** Takes calls until the agent is no longer running. */
  void loop() {
    Duration backoff = Backoff.FIRST;
    while (lifecycle.is(State.RUNNING)) {
      try {
        if (useStream) {
          try {
            streamUntilClosed();
            backoff = Backoff.FIRST;
            continue;
          } catch (StreamUnsupported e) {
            Log.warn("%s: using HTTP long polls instead", e.getMessage());
            useStream = false;
          }
        }
        pollOnce();
        backoff = Backoff.FIRST;
      } catch (Revoked e) {
        lifecycle.stop("the server no longer knows this spot: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        lifecycle.stop("interrupted");
      } catch (IOException | RuntimeException e) {
        Log.warn("%s failed: %s", useStream ? "the stream" : "claim", e.getMessage());
        try {
          backoff = Backoff.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          lifecycle.stop("interrupted");
        }
      }
    }
  }

  /** One HTTP long poll for as many calls as there is room for. */
  private void pollOnce() throws IOException, InterruptedException {
    int free = intake.awaitRoom();
    if (free <= 0) {
      return;
    }
    ObjectNode body = server.object();
    body.put("max", Math.min(free, Capacity.MAX_AHEAD));
    body.put("wait_seconds", pollWait.toSeconds());
    JsonNode answer = server.post("claim", body, pollWait.plusSeconds(15));
    if (answer.path("drain").asBoolean(false)) {
      lifecycle.drain("the server asked this spot to drain");
    }
    intake.accept(answer.path("calls"));
  }

  /**
   * Opens the stream and keeps the server's credit topped up to the room this agent has, until the
   * stream closes or the agent stops running; calls arrive meanwhile through {@link Intake#accept}.
   */
  private void streamUntilClosed() throws IOException, InterruptedException {
    Stream s = Stream.open(server.base(), server.credential(), intake::accept);
    intake.resetCredit();
    stream.set(s);
    Log.info("calls and results go over the stream");
    try {
      while (lifecycle.is(State.RUNNING) && s.isOpen()) {
        int grant = intake.nextGrant();
        if (grant > 0) {
          s.credit(grant);
        }
      }
    } finally {
      stream.set(null);
      s.close();
    }
    if (lifecycle.is(State.RUNNING)) {
      throw new IOException("the stream ended: " + s.closed().getNow("?"));
    }
  }
}
