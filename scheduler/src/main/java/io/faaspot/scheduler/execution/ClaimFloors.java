package io.faaspot.scheduler.execution;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Where an account's claims start reading its queue: a creation time below which it has no pending
 * row, so that a claim skips the entries of rows claimed since the last vacuum.
 *
 * <p>Why: a claim reads {@code executions_claim} in creation order. A claimed row leaves a dead
 * entry at the front of that index until autovacuum runs, which by default waits for a fifth of the
 * table to change. A claim that starts at the front walks them all: 1.4 ms for an empty queue with
 * 64,000 of them, on the development machine, so each claim costs more the longer the table has
 * gone without a vacuum. A claim that starts at its floor walks only the last claim's rows.
 *
 * <p>The floor is a hint that must never skip a pending row. After a claim that took rows, it is
 * the creation time of the oldest of them, but no later than the time that claim started nor than
 * the creation time of any insert still running on this node then. Rows a concurrent claim had
 * locked and skipped are that claim's. Whatever could put a row below it on this node ends it: a
 * requeue ({@link #invalidate}, after its commit) and a claim that failed (its locked rows are
 * pending again). What this node cannot see (another node's requeue, its clock, its slow commits)
 * is covered by a margin while other nodes are there, and by a claim from the front at least every
 * {@code frontScanEvery} per account: such a row waits at most that long.
 */
final class ClaimFloors {
  private record Floor(Instant at, long epoch, long frontScanNanos) {}

  /**
   * Where a claim reads from ({@code from}; null: the front of the queue), and the highest floor it
   * may leave ({@code bound}).
   */
  record Start(long accountId, Instant from, Instant bound, long epoch, long frontScanNanos) {}

  /** An insert running on this node, from just before its rows' creation time was taken. */
  record Insert(Instant at, long seq) implements Comparable<Insert> {
    @Override
    public int compareTo(Insert o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final Map<Long, Floor> floors = new ConcurrentHashMap<>();
  private final ConcurrentSkipListSet<Insert> inserts = new ConcurrentSkipListSet<>();
  private final AtomicLong seq = new AtomicLong();
  private final AtomicLong epoch = new AtomicLong();
  private final Clock clock;
  private final LongSupplier nanos;
  private final Duration frontScanEvery;

  ClaimFloors(Clock clock, LongSupplier nanos, Duration frontScanEvery) {
    this.clock = clock;
    this.nanos = nanos;
    this.frontScanEvery = frontScanEvery;
  }

  /**
   * Registers an insert about to run. Its rows' creation time is read from the clock after this
   * returns, so that a claim either sees the insert running or started before that time.
   */
  Insert inserting() {
    Insert i = new Insert(clock.instant(), seq.incrementAndGet());
    inserts.add(i);
    return i;
  }

  /** The insert committed or failed. */
  void inserted(Insert i) {
    inserts.remove(i);
  }

  /**
   * Where a claim of the account reads from: its floor, or the front of the queue. {@code now}: the
   * clock, read by the claim just before.
   */
  Start start(long accountId, Instant now, Duration margin) {
    long e = epoch.get();
    // The clock first (now), then the running inserts: an insert registered after this read takes
    // its creation time after the clock was read.
    Instant bound = now;
    // The set is ordered by time: its first is the oldest (an iterator, as it may empty meanwhile).
    java.util.Iterator<Insert> running = inserts.iterator();
    if (running.hasNext()) {
      Instant oldest = running.next().at();
      if (oldest.isBefore(bound)) {
        bound = oldest;
      }
    }
    bound = bound.minus(margin);
    Floor f = floors.get(accountId);
    long t = nanos.getAsLong();
    if (f == null || f.epoch() != e || t - f.frontScanNanos() >= frontScanEvery.toNanos()) {
      return new Start(accountId, null, bound, e, t);
    }
    return new Start(accountId, f.at(), bound, e, f.frontScanNanos());
  }

  /**
   * The claim took rows, the oldest created at {@code oldestTaken}, and is committed. Nothing is
   * recorded if a requeue or a failed claim came since it started. A claim that took nothing
   * records nothing either: its spot may not have been allowed to claim.
   */
  void claimed(Start s, Instant oldestTaken) {
    Instant at = oldestTaken.isBefore(s.bound()) ? oldestTaken : s.bound();
    Floor next = new Floor(at, s.epoch(), s.frontScanNanos());
    floors.compute(s.accountId(), (k, cur) -> epoch.get() == s.epoch() ? next : cur);
  }

  /**
   * Rows may be pending below a floor: requeued (called after that commit), or left unlocked by a
   * claim that failed. Every account's next claim reads from the front.
   */
  void invalidate() {
    epoch.incrementAndGet();
  }

  /** The account's floor if it has a valid one (for tests). */
  Instant floorOf(long accountId) {
    Floor f = floors.get(accountId);
    return f == null || f.epoch() != epoch.get() ? null : f.at();
  }

  /** Running inserts (for tests). */
  int running() {
    return inserts.size();
  }
}
