package io.faaspot.api.agentapi;

import static io.faaspot.api.agentapi.AgentFields.number;
import static io.faaspot.api.agentapi.AgentFields.text;
import static io.faaspot.api.agentapi.AgentFields.uuid;

import io.faaspot.api.config.QueueProperties;
import io.faaspot.api.ops.Metrics;
import io.faaspot.api.secrets.Contexts;
import io.faaspot.api.spot.AgentIdentity;
import io.faaspot.api.spot.SpotPulse;
import io.faaspot.api.spot.SpotRegistrations;
import io.faaspot.api.spot.SpotState;
import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.RequestBodies;
import io.faaspot.scheduler.execution.ExecutionQueue;
import io.faaspot.scheduler.execution.LeaseRenewal;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The server side of the agent protocol; see docs/agent-protocol.md. Not part of the public API, so
 * not in its OpenAPI description.
 */
@RestController
@RequestMapping("/agent/v1")
@Hidden
class AgentController {
  private final SpotRegistrations registrations;
  private final ExecutionQueue queue;
  private final AgentDispatch dispatch;
  private final AgentResults results;
  private final RequestBodies bodies;
  private final QueueProperties props;
  private final Metrics metrics;
  private final Contexts contexts;

  AgentController(
      SpotRegistrations registrations,
      ExecutionQueue queue,
      AgentDispatch dispatch,
      AgentResults results,
      RequestBodies bodies,
      QueueProperties props,
      Metrics metrics,
      Contexts contexts) {
    this.registrations = registrations;
    this.queue = queue;
    this.dispatch = dispatch;
    this.results = results;
    this.bodies = bodies;
    this.props = props;
    this.metrics = metrics;
    this.contexts = contexts;
  }

  @PostMapping("/register")
  AgentProtocol.Registration register(HttpServletRequest request) {
    ObjectNode body = bodies.object(request);
    String secret = text(body, "registration_secret");
    if (secret == null || secret.isBlank()) {
      throw ApiException.badRequest("registration_secret is required");
    }
    String ip = text(body, "ip");
    var registered =
        registrations.register(
            secret,
            ip == null || ip.isBlank() ? null : ip,
            text(body, "hostname"),
            text(body, "agent_version"),
            text(body, "python_version"));
    SpotPulse pulse = registrations.heartbeat(registered.spotId());
    return new AgentProtocol.Registration(
        registered.spotId(),
        registered.credential(),
        props.agentHeartbeat().toSeconds(),
        props.lease().toSeconds(),
        props.maxPollWait().toSeconds(),
        pulse.minWorkers(),
        pulse.maxWorkers());
  }

  /**
   * Long-poll for work: {@code {"max": n, "wait_seconds": s}}. Answers as soon as there is work for
   * the agent's account, or empty after the wait.
   */
  @PostMapping("/claim")
  AgentProtocol.Claimed claim(
      @AuthenticationPrincipal AgentIdentity agent, HttpServletRequest request)
      throws InterruptedException {
    ObjectNode body = bodies.object(request);
    int max = (int) number(body, "max", 1, 1, AgentCalls.MAX_CLAIM);
    // A longer wait than the server holds polls open is shortened, not refused.
    double wait =
        Math.min(number(body, "wait_seconds", 0, 0, 3600), props.maxPollWait().toSeconds());
    long waitMillis = (long) (wait * 1000);
    // The identity may be remembered from a moment ago (see CredentialCache); a spot told to
    // drain must hear it at once, so its state is read now.
    if (agent.state() != SpotState.Ready
        || registrations.state(agent.spotId()) != SpotState.Ready) {
      return new AgentProtocol.Claimed(List.of(), true);
    }
    return AgentCalls.answer(dispatch.next(agent, max, Duration.ofMillis(waitMillis)), contexts);
  }

  /** {@code {"results": [{"execution_id", "attempt", "status", "output", "logs"}, ...]}}. */
  @PostMapping("/results")
  AgentProtocol.ResultsAccepted results(
      @AuthenticationPrincipal AgentIdentity agent, HttpServletRequest request) {
    ObjectNode body = bodies.object(request);
    return results.record(agent.spotId(), body.get("results"));
  }

  /** {@code {"running": [ids]}}: extends leases, answers cancellations and drain requests. */
  @PostMapping("/heartbeat")
  AgentProtocol.HeartbeatAnswer heartbeat(
      @AuthenticationPrincipal AgentIdentity agent, HttpServletRequest request) {
    ObjectNode body = bodies.object(request);
    List<UUID> running = new ArrayList<>();
    JsonNode list = body.get("running");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw ApiException.badRequest("running must be an array of execution ids");
      }
      list.forEach(id -> running.add(uuid(id)));
    }
    SpotPulse pulse = registrations.heartbeat(agent.spotId());
    JsonNode builds = body.get("environment_builds");
    if (builds != null && builds.isIntegralNumber()) {
      metrics.environmentBuilds(agent.spotId(), builds.longValue());
    }
    LeaseRenewal renewal = queue.renewLeases(agent.spotId(), running);
    return new AgentProtocol.HeartbeatAnswer(
        renewal.extended(),
        renewal.cancelled(),
        renewal.lost(),
        pulse.state() != SpotState.Ready,
        pulse.minWorkers(),
        pulse.maxWorkers(),
        props.agentHeartbeat().toSeconds());
  }

  /**
   * {@code {"execution_ids": [...]}}: a stopping agent hands back calls it will not finish; they go
   * back to the queue at once, without counting the attempt.
   */
  @PostMapping("/release")
  AgentProtocol.Released release(
      @AuthenticationPrincipal AgentIdentity agent, HttpServletRequest request) {
    ObjectNode body = bodies.object(request);
    JsonNode list = body.get("execution_ids");
    if (list == null || !list.isArray()) {
      throw ApiException.badRequest("execution_ids must be an array");
    }
    List<UUID> ids = new ArrayList<>();
    list.forEach(id -> ids.add(uuid(id)));
    return new AgentProtocol.Released(queue.handBack(agent.spotId(), ids));
  }

  /**
   * {@code {"notice": "instance-action"|"rebalance", "time": "..."}}: the spot's cloud is about to
   * take it back. It drains, and its replacement is launched now rather than after it is gone.
   */
  @PostMapping("/interruption")
  AgentProtocol.Interruption interruption(
      @AuthenticationPrincipal AgentIdentity agent, HttpServletRequest request) {
    ObjectNode body = bodies.object(request);
    String notice = text(body, "notice");
    UUID replacement =
        registrations.interrupted(agent.spotId(), notice == null ? "interruption" : notice);
    return new AgentProtocol.Interruption(true, replacement);
  }
}
