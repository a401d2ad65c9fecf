package io.faaspot.agent;

import io.faaspot.agent.Lifecycle.State;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The heartbeat: names the calls this agent holds, which extends their leases, and applies the
 * answer: the worker limits, the calls cancelled or no longer this spot's (stopped), and a drain
 * request.
 */
final class Heartbeat {
  private final ServerClient server;
  private final Lifecycle lifecycle;
  private final Intake intake;
  private final HeldCalls held;
  private final Environments envs;
  private final WorkerPool pool;
  private volatile Duration every = Duration.ofSeconds(5);

  Heartbeat(
      ServerClient server,
      Lifecycle lifecycle,
      Intake intake,
      HeldCalls held,
      Environments envs,
      WorkerPool pool) {
    this.server = server;
    this.lifecycle = lifecycle;
    this.intake = intake;
    this.held = held;
    this.envs = envs;
    this.pool = pool;
  }

  /** How often, as the server registered this spot. */
  void every(Duration interval) {
    every = interval;
  }

  void loop() {
    while (!lifecycle.is(State.STOPPED)) {
      try {
        Thread.sleep(every);
        beat();
      } catch (Revoked e) {
        lifecycle.stop("the server no longer knows this spot: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        Log.warn("heartbeat failed: %s", e.getMessage());
      }
    }
  }

  private void beat() throws IOException, InterruptedException {
    ObjectNode body = server.object();
    ArrayNode ids = body.putArray("running");
    held.ids().forEach(id -> ids.add(id.toString()));
    body.put("environment_builds", envs.builds());
    JsonNode answer = server.post("heartbeat", body, Duration.ofSeconds(15));
    pool.limits(answer.path("min_workers").asInt(1), answer.path("max_workers").asInt(4));
    intake.limitsChanged();
    List<String> stop = new ArrayList<>();
    answer.path("cancel").forEach(n -> stop.add(n.asString()));
    answer.path("lost").forEach(n -> stop.add(n.asString()));
    for (String id : stop) {
      if (held.abandon(UUID.fromString(id))) {
        Log.info("stopped call %s (cancelled or no longer ours)", id);
      }
    }
    if (!stop.isEmpty()) {
      intake.dropAbandoned();
    }
    if (answer.path("drain").asBoolean(false)) {
      lifecycle.drain("the server asked this spot to drain");
    }
  }
}
