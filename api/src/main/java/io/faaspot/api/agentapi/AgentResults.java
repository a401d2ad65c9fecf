package io.faaspot.api.agentapi;

import io.faaspot.api.config.ExecutionsProperties;
import io.faaspot.api.ops.Metrics;
import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.RequestBodies;
import io.faaspot.scheduler.execution.ExecutionQueue;
import io.faaspot.scheduler.execution.ExecutionStatus;
import io.faaspot.scheduler.execution.Finished;
import io.faaspot.scheduler.execution.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Records the outcomes an agent reports (over HTTP or its stream), in one statement: {@code
 * [{"execution_id", "attempt", "status", "output", "logs", "started_at", "finished_at"}, ...]}.
 */
@Component
class AgentResults {
  private final ExecutionQueue queue;
  private final RequestBodies bodies;
  private final Metrics metrics;
  private final ExecutionsProperties limits;

  AgentResults(
      ExecutionQueue queue, RequestBodies bodies, Metrics metrics, ExecutionsProperties limits) {
    this.queue = queue;
    this.bodies = bodies;
    this.metrics = metrics;
    this.limits = limits;
  }

  /**
   * @throws ApiException 400 if {@code results} is not an array of well-formed results
   */
  AgentProtocol.ResultsAccepted record(UUID spotId, JsonNode results) {
    if (results == null || !results.isArray()) {
      throw ApiException.badRequest("results must be an array");
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (JsonNode r : results) {
      UUID id = AgentFields.uuid(r.get("execution_id"));
      JsonNode attempt = r.get("attempt");
      if (attempt == null || !attempt.isIntegralNumber()) {
        throw ApiException.badRequest("each result needs its attempt number");
      }
      ExecutionStatus status = status(r.get("status"));
      JsonNode output = r.get("output");
      JsonNode logs = r.get("logs");
      outcomes.add(
          new Outcome(
              id,
              attempt.intValue(),
              status,
              // PostgreSQL stores no NUL, in JSON or text: a function's are made U+FFFD.
              capOutput(
                  output == null
                      ? "null"
                      : RequestBodies.replaceNulEscapes(
                          bodies.mapper().writeValueAsString(output))),
              capLogs(
                  logs == null || logs.isNull() ? null : logs.asString().replace('\0', '\uFFFD')),
              instant(r.get("started_at")),
              instant(r.get("finished_at"))));
    }
    List<Finished> finished = queue.completeAll(spotId, outcomes);
    metrics.finished(finished);
    Set<UUID> accepted = new LinkedHashSet<>();
    finished.forEach(f -> accepted.add(f.id()));
    Set<UUID> rejected = new LinkedHashSet<>();
    outcomes.forEach(o -> rejected.add(o.executionId()));
    rejected.removeAll(accepted);
    return new AgentProtocol.ResultsAccepted(accepted, rejected);
  }

  /** Outputs past the limit are replaced by a note with their start (as a JSON string). */
  private String capOutput(String json) {
    if (json.length() <= limits.maxOutputBytes()) {
      return json;
    }
    String note =
        "[output of "
            + json.length()
            + " characters is over the limit of "
            + limits.maxOutputBytes()
            + "; it began:] "
            + json.substring(0, Math.min(1000, json.length()));
    return bodies.mapper().writeValueAsString(note);
  }

  private String capLogs(String logs) {
    if (logs == null || logs.length() <= limits.maxLogBytes()) {
      return logs;
    }
    return logs.substring(0, limits.maxLogBytes())
        + "\n[... "
        + (logs.length() - limits.maxLogBytes())
        + " more characters of logs dropped]";
  }

  /** An agent-reported instant; a missing or unreadable one is simply not recorded. */
  private static Instant instant(JsonNode node) {
    if (node == null || !node.isString()) {
      return null;
    }
    try {
      return Instant.parse(node.asString());
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  private static ExecutionStatus status(JsonNode node) {
    if (node != null && node.isString()) {
      String s = node.asString();
      if (s.equalsIgnoreCase("Success")) {
        return ExecutionStatus.Success;
      }
      if (s.equalsIgnoreCase("Failure")) {
        return ExecutionStatus.Failure;
      }
    }
    throw ApiException.badRequest("a result's status is Success or Failure");
  }
}
