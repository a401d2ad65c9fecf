package io.faaspot.agent;

import io.faaspot.agent.Lifecycle.State;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finished calls' results, sent in batches: over the stream while one is open, else by HTTP. A
 * batch that fails is sent again after a back-off; the loop goes on after a stop until every result
 * is out.
 */
final class Results {
  private final ServerClient server;
  private final Lifecycle lifecycle;
  private final Supplier<Stream> stream;
  private final LinkedBlockingQueue<ObjectNode> outbox = new LinkedBlockingQueue<>();

  Results(ServerClient server, Lifecycle lifecycle, Supplier<Stream> stream) {
    this.server = server;
    this.lifecycle = lifecycle;
    this.stream = stream;
  }

  void add(ObjectNode result) {
    outbox.add(result);
  }

  /** Waits up to {@code limit} for every result to be taken for sending. */
  void awaitSent(Duration limit) throws InterruptedException {
    long until = System.nanoTime() + limit.toNanos();
    while (!outbox.isEmpty() && System.nanoTime() < until) {
      Thread.sleep(50);
    }
  }

  void loop() {
    Duration backoff = Backoff.FIRST;
    List<ObjectNode> batch = new ArrayList<>();
    while (!lifecycle.is(State.STOPPED) || !outbox.isEmpty() || !batch.isEmpty()) {
      try {
        if (batch.isEmpty()) {
          ObjectNode first = outbox.poll(1, TimeUnit.SECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
        }
        outbox.drainTo(batch, 255);
        ObjectNode body = server.object();
        ArrayNode results = body.putArray("results");
        batch.forEach(results::add);
        if (!sentOverStream(results)) {
          server.post("results", body, Duration.ofSeconds(30));
        }
        batch.clear();
        backoff = Backoff.FIRST;
      } catch (Revoked e) {
        batch.clear();
        outbox.clear();
        lifecycle.stop("the server no longer knows this spot: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        Log.warn("sending %d result(s) failed: %s", batch.size(), e.getMessage());
        try {
          backoff = Backoff.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Sends results over the stream if one is open; false if they must go by HTTP. */
  private boolean sentOverStream(ArrayNode results) throws InterruptedException {
    Stream s = stream.get();
    if (s == null || !s.isOpen()) {
      return false;
    }
    try {
      s.results(results, Duration.ofSeconds(30));
      return true;
    } catch (IOException e) {
      Log.warn("results over the stream failed (%s); sending them by HTTP", e.getMessage());
      return false;
    }
  }
}
