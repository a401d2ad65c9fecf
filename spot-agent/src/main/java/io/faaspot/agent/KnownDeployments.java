package io.faaspot.agent;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deployment versions as the server sent them. The server sends a version's code, requirements and
 * context with its first call on a stream (or in a claim's answer) and {@code "repeat": true} with
 * the later ones; this keeps each version as first sent and puts it back into those later calls.
 * One entry per version this agent was sent: a spot serves one account.
 */
final class KnownDeployments {
  private final Map<String, JsonNode> byVersion = new ConcurrentHashMap<>();

  /**
   * Keeps the call's deployment if it came in full, or puts the kept one into it if it is a repeat.
   * A repeat of a version never sent is left as it is (see {@link #missing}).
   */
  void fill(JsonNode call) {
    JsonNode d = call.get("deployment");
    if (!(call instanceof ObjectNode c) || d == null || !d.isObject()) {
      return;
    }
    String key = d.path("id").asLong() + "-v" + d.path("version").asInt();
    if (d.path("repeat").asBoolean(false)) {
      JsonNode kept = byVersion.get(key);
      if (kept != null) {
        c.set("deployment", kept);
      }
    } else {
      byVersion.put(key, d);
    }
  }

  /** Whether a call's deployment (after {@link #fill}) lacks what the call needs to run. */
  static boolean missing(JsonNode deployment) {
    return deployment == null
        || !deployment.isObject()
        || deployment.path("repeat").asBoolean(false);
  }
}
