package io.faaspot.agent;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gives unfinished calls back to the queue so that other spots run them, rather than letting their
 * leases expire: at the end of a graceful shutdown, and shortly before an interrupted instance
 * goes.
 */
final class HandBack {
  private final ServerClient server;
  private final Intake intake;
  private final HeldCalls held;

  HandBack(ServerClient server, Intake intake, HeldCalls held) {
    this.server = server;
    this.intake = intake;
    this.held = held;
  }

  /** Stops the calls still running and gives them back to the queue for other spots. */
  void all(String why) {
    List<UUID> unfinished = held.abandonAll();
    intake.dropAbandoned();
    if (unfinished.isEmpty()) {
      return;
    }
    try {
      ObjectNode body = server.object();
      ArrayNode ids = body.putArray("execution_ids");
      unfinished.forEach(id -> ids.add(id.toString()));
      server.post("release", body, Duration.ofSeconds(10));
      Log.info("handed back %d unfinished call(s): %s", unfinished.size(), why);
    } catch (IOException | RuntimeException e) {
      Log.warn("could not hand back calls (their leases will expire instead): %s", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Hands back, 20 s before the instance goes, the calls still running then. */
  void shortlyBefore(Instant until) {
    Instant handBackAt = until.minusSeconds(20);
    Thread.ofPlatform()
        .name("hand-back")
        .daemon()
        .start(
            () -> {
              try {
                while (Instant.now().isBefore(handBackAt) && !held.isEmpty()) {
                  Thread.sleep(200);
                }
                all("the instance is about to be interrupted");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }
}
