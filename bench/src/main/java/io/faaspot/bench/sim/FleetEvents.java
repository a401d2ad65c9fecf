package io.faaspot.bench.sim;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The simulated clock's pending events, earliest first. Events due at the same time come in the
 * order they were scheduled, never by the queue's whim, so that a seed replays the same day.
 */
final class FleetEvents {
  enum Kind {
    READY,
    FINISH,
    NOTICE,
    HAND_BACK,
    GONE,
    TICK
  }

  /** An event; {@code call} and {@code attempt} for a FINISH, -1 and 0 otherwise. */
  record Event(double time, long seq, Kind kind, Machine machine, int call, int attempt) {}

  private final PriorityQueue<Event> events =
      new PriorityQueue<>(Comparator.comparingDouble(Event::time).thenComparingLong(Event::seq));
  private long seq;

  void schedule(double time, Kind kind, Machine m, int call, int attempt) {
    events.add(new Event(time, seq++, kind, m, call, attempt));
  }

  /** When the next event is due; infinity when none is. */
  double nextTime() {
    Event next = events.peek();
    return next == null ? Double.POSITIVE_INFINITY : next.time();
  }

  Event next() {
    return events.poll();
  }
}
