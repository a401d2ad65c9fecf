package io.faaspot.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Warm workers, kept per deployment version and reused across calls. At most {@code maxWorkers}
 * processes exist at once (the least recently used idle one makes room); idle ones beyond {@code
 * minWorkers} are stopped after a while; a new version of a deployment retires the idle workers of
 * its older versions.
 */
final class WorkerPool implements AutoCloseable {
  private static final Duration IDLE_LIMIT = Duration.ofMinutes(10);

  private final Path bootstrap;
  private final Sandbox sandbox;
  private final int memoryMb;
  private final Map<String, Deque<Worker>> idle = new HashMap<>();
  private int processes;
  private int minWorkers = 1;
  private int maxWorkers = 4;

  WorkerPool(Path bootstrap, Sandbox sandbox, int memoryMb) {
    this.bootstrap = bootstrap;
    this.sandbox = sandbox;
    this.memoryMb = memoryMb;
  }

  synchronized void limits(int min, int max) {
    minWorkers = min;
    maxWorkers = Math.max(1, max);
  }

  synchronized int maxWorkers() {
    return maxWorkers;
  }

  /** A warm worker for the spec, or a new one (which imports the function now). */
  Worker acquire(WorkerSpec spec, Duration importTimeout)
      throws ImportFailed, TimedOut, Crashed, IOException, InterruptedException {
    List<Worker> retired = new ArrayList<>();
    synchronized (this) {
      Deque<Worker> mine = idle.get(spec.key());
      while (mine != null && !mine.isEmpty()) {
        Worker w = mine.pollFirst();
        if (w.alive()) {
          return w;
        }
        processes--;
      }
      // Older versions of this deployment will not be called again.
      for (var entry : idle.entrySet()) {
        if (entry.getKey().startsWith(spec.deploymentId() + "-v")
            && !entry.getKey().equals(spec.key())) {
          retired.addAll(entry.getValue());
          processes -= entry.getValue().size();
          entry.getValue().clear();
        }
      }
      while (processes >= maxWorkers) {
        Worker lru = leastRecentlyUsedIdle();
        if (lru == null) {
          break;
        }
        retired.add(lru);
        processes--;
      }
      processes++;
    }
    retired.forEach(Worker::close);
    try {
      return Worker.start(spec, bootstrap, sandbox, memoryMb, importTimeout);
    } catch (Exception e) {
      synchronized (this) {
        processes--;
      }
      throw e;
    }
  }

  /** Back to the idle set after a call that left it healthy. */
  synchronized void release(Worker w) {
    if (!w.alive()) {
      processes--;
      return;
    }
    idle.computeIfAbsent(w.spec.key(), k -> new ArrayDeque<>()).addFirst(w);
  }

  /** A worker that timed out, crashed or was cancelled: gone for good. */
  void discard(Worker w) {
    w.close();
    synchronized (this) {
      processes--;
    }
  }

  /** Stops idle workers that sat unused too long, keeping {@code minWorkers} warm. */
  void trim() {
    List<Worker> stop = new ArrayList<>();
    synchronized (this) {
      int idleCount = idle.values().stream().mapToInt(Deque::size).sum();
      for (Deque<Worker> q : idle.values()) {
        var it = q.descendingIterator();
        while (it.hasNext() && idleCount > minWorkers) {
          Worker w = it.next();
          if (w.idleNanos() > IDLE_LIMIT.toNanos() || !w.alive()) {
            it.remove();
            stop.add(w);
            processes--;
            idleCount--;
          }
        }
      }
    }
    stop.forEach(Worker::close);
  }

  synchronized int processes() {
    return processes;
  }

  private Worker leastRecentlyUsedIdle() {
    Worker oldest = null;
    Deque<Worker> from = null;
    for (Deque<Worker> q : idle.values()) {
      Worker w = q.peekLast();
      if (w != null && (oldest == null || w.idleNanos() > oldest.idleNanos())) {
        oldest = w;
        from = q;
      }
    }
    if (from != null) {
      from.pollLast();
    }
    return oldest;
  }

  @Override
  public synchronized void close() {
    idle.values().forEach(q -> q.forEach(Worker::close));
    idle.clear();
  }
}
