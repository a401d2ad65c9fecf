package io.faaspot.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Waits until executions finish, through {@code POST /api/executions/bulk} as a user would. The ids
 * are taken in submission order, a chunk of at most 1000 at a time: the chunk's last pending id is
 * probed alone (cheap) until it has finished, then the whole pending chunk is fetched. So the last
 * {@code Success} is seen within a poll interval of happening, without the poller's own requests
 * loading the server much. The finished executions' own timings are summarised after the last one
 * is seen, not while waiting: that is the benchmark's bookkeeping, not a user's work, and it would
 * otherwise take CPU from the server it measures.
 */
final class Completion {
  static final int CHUNK = 1000;
  private static final long POLL_MILLIS = 10;

  /** How it ended; {@code lastSuccessNanos} is the {@link System#nanoTime} of the last seen. */
  record Outcome(long succeeded, long failed, long unfinished, long lastSuccessNanos, long polls) {}

  private final Api api;
  private final Errors errors;
  private final Stages stages;
  private long lastSuccess;
  private long succeeded;
  private long failed;
  private long polls;
  private final List<JsonNode> finishedExecutions = new ArrayList<>();

  Completion(Api api, Errors errors, Stages stages) {
    this.api = api;
    this.errors = errors;
    this.stages = stages;
  }

  Outcome await(List<String> ids, Duration timeout) throws InterruptedException {
    try {
      return poll(ids, timeout);
    } finally {
      finishedExecutions.forEach(stages::add);
      finishedExecutions.clear();
    }
  }

  private Outcome poll(List<String> ids, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long unfinished = 0;
    for (int from = 0; from < ids.size(); from += CHUNK) {
      List<String> pending = new ArrayList<>(ids.subList(from, Math.min(ids.size(), from + CHUNK)));
      while (!pending.isEmpty()) {
        if (System.nanoTime() > deadline) {
          unfinished = ids.size() - succeeded - failed;
          errors.add(unfinished + " executions unfinished after " + timeout.toSeconds() + " s");
          return new Outcome(succeeded, failed, unfinished, lastSuccess, polls);
        }
        String probe = pending.get(pending.size() - 1);
        if (pending.size() > 1 && !finished(fetch(List.of(probe)).get(probe))) {
          Thread.sleep(POLL_MILLIS);
          continue;
        }
        int before = pending.size();
        Map<String, JsonNode> found = fetch(pending);
        long now = System.nanoTime();
        pending.removeIf(id -> settle(id, found.get(id), now));
        if (pending.size() == before) {
          Thread.sleep(POLL_MILLIS);
        }
      }
    }
    return new Outcome(succeeded, failed, unfinished, lastSuccess, polls);
  }

  /** Whether {@code id} has finished; records it if so. */
  private boolean settle(String id, JsonNode execution, long now) {
    if (!finished(execution)) {
      return false;
    }
    String status = execution.path("status").asString("");
    if (status.equals("Success")) {
      succeeded++;
      lastSuccess = now;
    } else {
      failed++;
      errors.add("execution " + id + " " + status + ": " + execution.path("output"));
    }
    finishedExecutions.add(execution);
    return true;
  }

  private static boolean finished(JsonNode execution) {
    if (execution == null) {
      return false;
    }
    String status = execution.path("status").asString("");
    return status.equals("Success") || status.equals("Failure") || status.equals("Cancelled");
  }

  /** The executions by id; empty on a failed request (which is retried by the caller's loop). */
  private Map<String, JsonNode> fetch(List<String> ids) {
    polls++;
    Map<String, JsonNode> byId = new HashMap<>();
    try {
      Api.Response r = api.post("/api/executions/bulk", ids);
      if (!r.ok()) {
        System.err.println("poll: " + r);
        return byId;
      }
      JsonNode executions = r.json();
      for (int i = 0; i < executions.size(); i++) {
        JsonNode e = executions.get(i);
        String id = e.path("uuid").asString(i < ids.size() ? ids.get(i) : "");
        byId.put(id, e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      System.err.println("poll: " + e);
    }
    return byId;
  }
}
