package io.faaspot.agent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * The calls this agent holds, waiting or running, by id: what the heartbeat names to extend their
 * leases, and what cancels, hand-backs and stops abandon.
 */
final class HeldCalls {
  private final Map<UUID, RunningCall> calls = new ConcurrentHashMap<>();

  /** Holds a call given to this agent. */
  RunningCall hold(JsonNode call) {
    UUID id = UUID.fromString(call.get("execution_id").asString());
    RunningCall r = new RunningCall(id, call.get("attempt").asInt());
    calls.put(id, r);
    return r;
  }

  void remove(UUID id) {
    calls.remove(id);
  }

  int size() {
    return calls.size();
  }

  boolean isEmpty() {
    return calls.isEmpty();
  }

  Collection<UUID> ids() {
    return calls.keySet();
  }

  /** Abandons the call if this agent holds it (see {@link RunningCall#abandon}). */
  boolean abandon(UUID id) {
    RunningCall r = calls.get(id);
    if (r == null) {
      return false;
    }
    r.abandon();
    return true;
  }

  /** Abandons every call held; answers their ids. */
  List<UUID> abandonAll() {
    List<UUID> ids = new ArrayList<>();
    calls
        .values()
        .forEach(
            r -> {
              r.abandon();
              ids.add(r.id);
            });
    return ids;
  }
}
