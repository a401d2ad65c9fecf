package io.faaspot.scheduler.execution;

import io.faaspot.scheduler.wakeup.Wakeups;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The execution queue: explicit SQL on the {@code executions} table. Every write is one statement
 * whose {@code WHERE} names the statuses it may leave (from {@link ExecutionStatus}) and, for an
 * agent's writes, the lease it must hold; the returned rows say what actually changed. Every
 * statement that makes work or finishes it also sends the NOTIFY for other nodes, so it needs no
 * extra round trip.
 *
 * <p>This class is the queue's surface; each verb lives in a class of its own with its SQL, wired
 * in {@link QueueParts}: {@link EnqueueExecutions} (bulk), {@link EnqueueRuns} and {@link
 * InsertRuns} (function calls, group commit and hand-over to a waiting poll), {@link Claims} (with
 * {@link ClaimFloors}), {@link Outcomes}, {@link EndOnServer} (tasks and cancels), {@link
 * RenewLeases} and {@link Requeue} (hand-back, release, reaping). It stays over 200 lines on
 * purpose: the whole surface in one place, each verb with the contract its callers (the api module,
 * the contract test) rely on, while the work is in the parts.
 */
public final class ExecutionQueue {
  /** How often an account's claims read its queue from the front rather than from its floor. */
  static final Duration FRONT_SCAN_EVERY = Claims.FRONT_SCAN_EVERY;

  /** See {@link Claims#PEER_MARGIN}. */
  static final Duration PEER_MARGIN = Claims.PEER_MARGIN;

  /** The statements the contract test explains (see each part). */
  static final String CLAIM = Claims.CLAIM;

  static final String RENEW_LEASES = RenewLeases.RENEW_LEASES;

  /** The kinds of execution an agent runs: function calls, and deployment builds. */
  public static final String[] AGENT_KINDS = {
    ExecutionKind.RUN_DEPLOYMENT, ExecutionKind.CREATE_DEPLOYMENT
  };

  /** A function call made by {@link #enqueueRun}. */
  public record EnqueuedRun(UUID id, long deploymentId, boolean handedToSpot) {}

  /** A cancel's result: the row as it is now, and whether this call is what cancelled it. */
  public record Cancellation(ExecutionRow row, boolean cancelled) {}

  private final QueueSettings settings;
  private final QueueParts parts;

  /**
   * {@code tx} runs a statement and its commit on one connection of {@code jdbc}'s data source (a
   * {@code TransactionTemplate} over it): a call handed to a waiting agent leaves before its insert
   * is committed, and runs while the commit is flushed. {@link
   * TransactionOperations#withoutTransaction()} hands calls over after their commit.
   */
  public ExecutionQueue(
      JdbcClient jdbc,
      TransactionOperations tx,
      Clock clock,
      Wakeups wakeups,
      QueueSettings settings) {
    this(jdbc, tx, clock, wakeups, settings, QueueWrites.NONE);
  }

  /** As above, with its hot writes timed by {@code writes}. */
  public ExecutionQueue(
      JdbcClient jdbc,
      TransactionOperations tx,
      Clock clock,
      Wakeups wakeups,
      QueueSettings settings,
      QueueWrites writes) {
    this(jdbc, tx, clock, wakeups, settings, writes, Duration.ofMillis(100), FRONT_SCAN_EVERY);
  }

  /**
   * {@code followerRecheck}: how long a call waiting behind another caller's insert goes without
   * looking again by itself. The inserting caller wakes it when done, so this only bounds a wake-up
   * that went astray; tests make it long to prove that it is not what settles calls. {@code
   * frontScanEvery}: see {@link ClaimFloors}.
   */
  ExecutionQueue(
      JdbcClient jdbc,
      TransactionOperations tx,
      Clock clock,
      Wakeups wakeups,
      QueueSettings settings,
      QueueWrites writes,
      Duration followerRecheck,
      Duration frontScanEvery) {
    this.settings = settings;
    this.parts =
        QueueParts.wire(
            jdbc, tx, clock, wakeups, settings, writes, followerRecheck, frontScanEvery);
  }

  public QueueSettings settings() {
    return settings;
  }

  /** Inserts one execution as Pending and wakes the account's agents. */
  public UUID enqueue(NewExecution e) {
    return enqueueAll(List.of(e)).getFirst();
  }

  /**
   * Inserts many executions of one account in one statement (the bulk run), in order, and wakes
   * that account's agents once.
   */
  public List<UUID> enqueueAll(List<NewExecution> executions) {
    return parts.enqueue().enqueueAll(executions);
  }

  /**
   * Makes one call of the account's deployment {@code name}, at its current version; the name is
   * resolved in the statement that inserts it. If an agent of the account waits in a long poll on
   * this node, the call is inserted already leased to that agent's spot and handed to the poll
   * directly (no queueing, wake-up and claim); otherwise it is queued as Pending and the account's
   * agents are woken. Empty if the account has no such deployment (nothing is inserted).
   *
   * <p>A handed-over call leaves as soon as its row is written, and runs while the commit is
   * flushed to disk; its id is returned only once that commit is done, and what its agent reports
   * of it ({@link #completeAll}, {@link #handBack}) waits for the commit. If the commit fails (the
   * database went away at that moment), the call may have run without a row: its caller gets the
   * error, and its result is refused.
   *
   * <p>Calls made at the same moment share one statement and one commit (group commit, see {@link
   * EnqueueRuns}).
   */
  public Optional<EnqueuedRun> enqueueRun(
      UUID id, long accountId, String deploymentName, String argsJson, int maxAttempts) {
    return parts.runs().enqueueRun(id, accountId, deploymentName, argsJson, maxAttempts);
  }

  /**
   * Parks an agent's long poll that found no work, so that the account's next call on this node is
   * handed to it directly, once its insert is committed; see {@link ParkedClaims}.
   */
  public ParkedClaims.ParkedClaim park(long accountId, UUID spotId) {
    return parts.parked().park(accountId, spotId, false);
  }

  /**
   * As {@link #park(long, UUID)}, for a poll whose agent reports on the same connection to this
   * node (its stream): a call is handed to it before its insert is committed, as the reports of it
   * are made to wait here for that commit.
   */
  public ParkedClaims.ParkedClaim parkReportingHere(long accountId, UUID spotId) {
    return parts.parked().park(accountId, spotId, true);
  }

  /**
   * Claims up to {@code max} of the account's oldest pending agent work (function calls and
   * deployment builds) for a spot, in one statement: rows locked by another claimer are skipped,
   * not waited for, so two agents never get the same call and never block each other.
   */
  public List<ClaimedExecution> claim(long accountId, UUID spotId, int max) {
    return parts.claims().claim(accountId, spotId, max);
  }

  /**
   * Records the outcomes an agent reports, in one statement. An outcome is taken only while its
   * execution is still Started, leased to this spot, at the reported attempt; the ids returned are
   * those taken (a cancelled or requeued call's late result is dropped).
   */
  public Set<UUID> complete(UUID spotId, Collection<Outcome> outcomes) {
    Set<UUID> ids = new LinkedHashSet<>();
    completeAll(spotId, outcomes).forEach(f -> ids.add(f.id()));
    return ids;
  }

  /**
   * As {@link #complete}, answering what each taken outcome finished, for metrics: the same
   * statement returns it, so the hot path pays no second query.
   */
  public List<Finished> completeAll(UUID spotId, Collection<Outcome> outcomes) {
    return parts.outcomes().completeAll(spotId, outcomes);
  }

  /**
   * Finishes a task the server carries out itself (deployment and spot management), which holds no
   * lease. Returns false when it had already finished.
   */
  public boolean finishTask(UUID id, ExecutionStatus status, String outputJson) {
    return parts.ends().finishTask(id, status, outputJson);
  }

  /**
   * Cancels an execution of the account. A pending one never runs; a started one is marked
   * Cancelled at once and its agent is told to stop it at its next heartbeat (the lease owner is
   * kept for that). Returns the row after the change, or the unchanged row if it had finished.
   */
  public Optional<ExecutionRow> cancel(long accountId, UUID id) {
    return tryCancel(accountId, id).map(Cancellation::row);
  }

  /**
   * As {@link #cancel}, also saying whether this call cancelled it: of two cancels at once, one
   * cancels and the other finds it finished.
   */
  public Optional<Cancellation> tryCancel(long accountId, UUID id) {
    return parts.ends().tryCancel(accountId, id);
  }

  /**
   * A spot's heartbeat: extends the leases of the calls it still runs, and tells it which of the
   * calls it named were cancelled or are no longer its own (another spot's, or finished). An id
   * with no row of the spot's account is in none of the three.
   */
  public LeaseRenewal renewLeases(UUID spotId, Collection<UUID> running) {
    return parts.leases().renewLeases(spotId, running);
  }

  /**
   * A stopping agent hands back calls it will not finish: they go back to the queue at once, and
   * the attempt is not counted against them (the function did not fail, its spot went away in an
   * orderly way). Returns the ids taken back.
   */
  public Set<UUID> handBack(UUID spotId, Collection<UUID> ids) {
    return parts.requeue().handBack(spotId, ids);
  }

  /**
   * Puts back in the queue what a spot held, at once: the spot is gone, drained or handed the calls
   * back. Each such call counts as an attempt; past the limit it fails.
   */
  public List<ReapedExecution> releaseSpot(UUID spotId, String reason) {
    return parts.requeue().releaseSpot(spotId, reason);
  }

  /**
   * The reaper: started executions whose lease expired (agent dead, spot gone) go back to the
   * queue, or end in Failure with the reason once they used up their attempts.
   */
  public List<ReapedExecution> reapExpiredLeases() {
    return parts.requeue().reapExpiredLeases();
  }

  /** The statement that records {@code n} outcomes (see {@link Outcomes#completion}). */
  static String completion(int n) {
    return Outcomes.completion(n);
  }

  /** Where the account's next claim reads from, if not from the front (for tests). */
  Instant claimFloor(long accountId) {
    return parts.floors().floorOf(accountId);
  }

  /** Calls waiting for a caller's insert to carry them (for tests). */
  int waitingRuns() {
    return parts.runs().waitingRuns();
  }

  /** Handed-over calls whose insert has not committed (for tests). */
  int uncommittedHandOvers() {
    return parts.uncommitted().size();
  }
}
