package io.faaspot.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Waits until executions finish, through {@code POST /api/executions/bulk} as a user would. The ids
 * are taken in submission order, a chunk of at most 1000 at a time: the chunk's last pending id is
 * probed alone (cheap) until it has finished, then the whole pending chunk is fetched. So the last
 * {@code Success} is seen within a poll interval of happening, without the poller's own requests
 * loading the server much.
 *
 * <p>While it waits, it reads only each execution's id and status from the answers ({@link
 * ExecutionsJson}), and keeps the answers that finished some ({@link FinishedAnswers}). The
 * finished executions' own timings (and a failure's output) are read from those after the last one
 * is seen: that is the benchmark's bookkeeping, not a user's work, and it would otherwise take CPU
 * from the server it measures.
 */
final class Completion {
  static final int CHUNK = 1000;
  private static final long POLL_MILLIS = 10;

  /**
   * How it ended; {@code lastSuccessNanos} is the {@link System#nanoTime} of the last seen, and
   * {@code cpuNanos} this process's CPU time when the waiting ended ({@link ProcessCpu}).
   */
  record Outcome(
      long succeeded,
      long failed,
      long unfinished,
      long lastSuccessNanos,
      long polls,
      long cpuNanos) {}

  private final Api api;
  private final Errors errors;
  private final Stages stages;
  private long lastSuccess;
  private long succeeded;
  private long failed;
  private long polls;

  private final FinishedAnswers answers = new FinishedAnswers();

  Completion(Api api, Errors errors, Stages stages) {
    this.api = api;
    this.errors = errors;
    this.stages = stages;
  }

  Outcome await(List<String> ids, Duration timeout) throws InterruptedException {
    try {
      return poll(ids, timeout);
    } finally {
      answers.read(stages, errors);
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
          return new Outcome(succeeded, failed, unfinished, lastSuccess, polls, ProcessCpu.nanos());
        }
        String probe = pending.get(pending.size() - 1);
        if (pending.size() > 1 && !isFinal(fetch(List.of(probe)).statuses().get(probe))) {
          Thread.sleep(POLL_MILLIS);
          continue;
        }
        Fetched found = fetch(pending);
        long now = System.nanoTime();
        Set<String> finishedHere = new HashSet<>();
        for (String id : pending) {
          if (settle(id, found.statuses().get(id), now)) {
            finishedHere.add(id);
          }
        }
        if (finishedHere.isEmpty()) {
          Thread.sleep(POLL_MILLIS);
        } else {
          pending.removeAll(finishedHere);
          answers.keep(found.answer(), finishedHere);
        }
      }
    }
    return new Outcome(succeeded, failed, unfinished, lastSuccess, polls, ProcessCpu.nanos());
  }

  /** Whether {@code id} has finished ({@code status} final); counts it if so. */
  private boolean settle(String id, String status, long now) {
    if (!isFinal(status)) {
      return false;
    }
    if (status.equals("Success")) {
      succeeded++;
      lastSuccess = now;
    } else {
      failed++;
      answers.failed(id);
    }
    return true;
  }

  private static boolean isFinal(String status) {
    return "Success".equals(status) || "Failure".equals(status) || "Cancelled".equals(status);
  }

  /** A poll's answer, and the statuses read from it. */
  private record Fetched(byte[] answer, Map<String, String> statuses) {}

  /** The executions' statuses by id; none on a failed request (retried by the caller's loop). */
  private Fetched fetch(List<String> ids) {
    polls++;
    try {
      Response r = api.post("/api/executions/bulk", ids);
      if (!r.ok()) {
        System.err.println("poll: " + r);
        return new Fetched(null, Map.of());
      }
      return new Fetched(r.bytes(), ExecutionsJson.statuses(r.bytes(), ids));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      System.err.println("poll: " + e);
    }
    return new Fetched(null, Map.of());
  }
}
