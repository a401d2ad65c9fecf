package io.faaspot.scheduler.execution;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Calls handed to an agent whose insert is not committed yet, each with that commit's end: what the
 * agent reports of them (outcomes, hand-backs) waits for it, as the row is invisible until then.
 */
final class UncommittedHandOvers {
  /** How long a report waits for the commit of a call handed over before it. */
  private static final Duration COMMIT_WAIT = Duration.ofSeconds(30);

  private final ConcurrentHashMap<UUID, CompletableFuture<Void>> uncommitted =
      new ConcurrentHashMap<>();

  /** The call {@code id} was handed over; its insert commits when {@code commit} completes. */
  void handedOver(UUID id, CompletableFuture<Void> commit) {
    uncommitted.put(id, commit);
  }

  /** That commit ended (committed or not): reports of these calls no longer wait. */
  void ended(List<UUID> ids, CompletableFuture<Void> commit) {
    ids.forEach(id -> uncommitted.remove(id, commit));
  }

  /**
   * Returns once none of {@code ids} is a handed-over call whose insert is still committing. The
   * ids are not even listed when nothing is committing, as for nearly every result of a bulk.
   */
  void awaitCommitted(Stream<UUID> ids) {
    if (uncommitted.isEmpty()) {
      return;
    }
    for (UUID id : ids.toList()) {
      CompletableFuture<Void> commit = uncommitted.get(id);
      if (commit == null) {
        continue;
      }
      try {
        commit.get(COMMIT_WAIT.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException e) {
        // The statement then finds no row of it, as for any call it does not know.
      }
    }
  }

  /** Handed-over calls whose insert has not committed (for tests). */
  int size() {
    return uncommitted.size();
  }
}
