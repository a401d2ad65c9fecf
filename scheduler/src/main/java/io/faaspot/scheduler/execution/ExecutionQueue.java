package io.faaspot.scheduler.execution;

import static io.faaspot.scheduler.execution.ExecutionStatus.Cancelled;
import static io.faaspot.scheduler.execution.ExecutionStatus.Failure;
import static io.faaspot.scheduler.execution.ExecutionStatus.Pending;
import static io.faaspot.scheduler.execution.ExecutionStatus.Started;

import io.faaspot.scheduler.wakeup.PostgresNotificationListener;
import io.faaspot.scheduler.wakeup.Wakeups;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The execution queue: explicit SQL on the {@code executions} table. Every write is one statement
 * whose {@code WHERE} names the statuses it may leave (from {@link ExecutionStatus}) and, for an
 * agent's writes, the lease it must hold; the returned rows say what actually changed. Every
 * statement that makes work or finishes it also sends the NOTIFY for other nodes, so it needs no
 * extra round trip.
 */
public final class ExecutionQueue {
  private final JdbcClient jdbc;
  private final TransactionOperations tx;
  private final Clock clock;
  private final Wakeups wakeups;
  private final QueueSettings settings;
  private final ParkedClaims parked = new ParkedClaims();
  private final Duration followerRecheck;
  private final ClaimFloors floors;

  /** How often an account's claims read its queue from the front rather than from its floor. */
  static final Duration FRONT_SCAN_EVERY = Duration.ofSeconds(1);

  /**
   * How far below what this node saw a claim floor is kept while other nodes share the database:
   * their clocks and their commits are not seen here.
   */
  static final Duration PEER_MARGIN = Duration.ofSeconds(1);

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
    this(jdbc, tx, clock, wakeups, settings, Duration.ofMillis(100), FRONT_SCAN_EVERY);
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
      Duration followerRecheck,
      Duration frontScanEvery) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.clock = clock;
    this.wakeups = wakeups;
    this.settings = settings;
    this.followerRecheck = followerRecheck;
    this.floors = new ClaimFloors(clock, System::nanoTime, frontScanEvery);
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
    if (executions.isEmpty()) {
      return List.of();
    }
    long accountId = executions.getFirst().accountId();
    int n = executions.size();
    String[] ids = new String[n];
    String[] kinds = new String[n];
    Long[] deploymentIds = new Long[n];
    String[] deploymentNames = new String[n];
    Integer[] versions = new Integer[n];
    String[] spotIds = new String[n];
    String[] args = new String[n];
    Integer[] maxAttempts = new Integer[n];
    for (int i = 0; i < n; i++) {
      NewExecution e = executions.get(i);
      if (e.accountId() != accountId) {
        throw new IllegalArgumentException("a bulk enqueue is for one account");
      }
      ids[i] = e.id().toString();
      kinds[i] = e.kind();
      deploymentIds[i] = e.deploymentId();
      deploymentNames[i] = e.deploymentName();
      versions[i] = e.deploymentVersion();
      spotIds[i] = e.spotId() == null ? null : e.spotId().toString();
      args[i] = e.argsJson() == null ? "{}" : e.argsJson();
      maxAttempts[i] = e.maxAttempts();
    }
    ClaimFloors.Insert running = floors.inserting();
    Instant now = clock.instant();
    try {
      jdbc.sql(
              """
            WITH ins AS (
              INSERT INTO executions (id, account_id, kind, deployment_id, deployment_name,
                                      deployment_version, spot_id, args, status, max_attempts,
                                      created_at)
              SELECT t.id::uuid, :account, t.kind, t.deployment_id, t.deployment_name,
                     t.deployment_version, t.spot_id::uuid, t.args::jsonb, 'Pending',
                     t.max_attempts, :now::timestamptz + t.ord * interval '1 microsecond'
              FROM unnest(:ids::text[], :kinds::text[], :deployment_ids::bigint[],
                          :deployment_names::text[], :versions::int[], :spot_ids::text[],
                          :args::text[], :max_attempts::int[]) WITH ORDINALITY
                   AS t(id, kind, deployment_id, deployment_name, deployment_version, spot_id,
                        args, max_attempts, ord)
              RETURNING 1
            )
            -- Creation times a microsecond apart keep the bulk's order in the queue and lists.
            SELECT count(*) AS inserted,
                   CASE WHEN :notify THEN pg_notify(:channel, :payload) END::text AS notified
            FROM ins
            """)
          .param("account", accountId)
          .param("ids", ids)
          .param("kinds", kinds)
          .param("deployment_ids", deploymentIds)
          .param("deployment_names", deploymentNames)
          .param("versions", versions)
          .param("spot_ids", spotIds)
          .param("args", args)
          .param("max_attempts", maxAttempts)
          .param("now", utc(now))
          .param("channel", PostgresNotificationListener.WORK_CHANNEL)
          .param("payload", wakeups.nodeId() + "|" + accountId)
          .param("notify", wakeups.peers())
          .query()
          .singleRow();
    } finally {
      afterTransaction(status -> floors.inserted(running));
    }
    wakeups.signalWork(accountId);
    List<UUID> result = new ArrayList<>(n);
    for (NewExecution e : executions) {
      result.add(e.id());
    }
    return result;
  }

  /** A function call made by {@link #enqueueRun}. */
  public record EnqueuedRun(UUID id, long deploymentId, boolean handedToSpot) {}

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
   * <p>Calls made at the same moment share one statement and one commit (group commit): a caller
   * that finds no insert running inserts its own call and every call queued with it, so a lone call
   * waits for nobody. Calls made while that statement runs queue up and are woken when it ends; one
   * of them then inserts them all in the next statement.
   */
  public Optional<EnqueuedRun> enqueueRun(
      UUID id, long accountId, String deploymentName, String argsJson, int maxAttempts) {
    RunRequest mine =
        new RunRequest(
            id, accountId, deploymentName, argsJson == null ? "{}" : argsJson, maxAttempts);
    if (TransactionSynchronizationManager.isActualTransactionActive()) {
      // Inside a caller's transaction the row is invisible to the agent until commit, so a call
      // handed over before that could not be reported; and it must be in that transaction.
      insertRuns(List.of(mine), false);
      return mine.outcome.join();
    }
    runRequests.add(mine);
    boolean interrupted = false;
    while (!mine.outcome.isDone()) {
      // Read before the flag: the round that ends after this caller saw an insert in progress.
      CompletableFuture<Void> round = runRound.get();
      if (insertingRuns.compareAndSet(false, true)) {
        try {
          List<RunRequest> batch = new ArrayList<>();
          RunRequest r;
          while (batch.size() < RUN_BATCH && (r = runRequests.poll()) != null) {
            batch.add(r);
          }
          if (!batch.isEmpty()) {
            insertRuns(batch, true);
          }
        } catch (RuntimeException e) {
          // Each call of that batch has its failure; this caller's own call may be in another.
        } finally {
          insertingRuns.set(false);
          // Calls that came while this statement ran wait for it: one of them leads the next.
          runRound.getAndSet(new CompletableFuture<>()).complete(null);
        }
      } else {
        try {
          // Another caller's statement carries this call, or, once it ends, the next one will.
          CompletableFuture.anyOf(mine.outcome, round)
              .get(followerRecheck.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
          // Look again, and take the lead if nobody has it.
        } catch (InterruptedException e) {
          // The call is in the queue: see it settled, then pass the interrupt on.
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    try {
      return mine.outcome.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
  }

  private static final int RUN_BATCH = 256;
  private final java.util.concurrent.ConcurrentLinkedQueue<RunRequest> runRequests =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicBoolean insertingRuns =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicReference<CompletableFuture<Void>> runRound =
      new java.util.concurrent.atomic.AtomicReference<>(new CompletableFuture<>());

  /** Calls waiting for a caller's insert to carry them (for tests). */
  int waitingRuns() {
    return runRequests.size();
  }

  private static final class RunRequest {
    final UUID id;
    final long accountId;
    final String deploymentName;
    final String argsJson;
    final int maxAttempts;
    final java.util.concurrent.CompletableFuture<Optional<EnqueuedRun>> outcome =
        new java.util.concurrent.CompletableFuture<>();
    ParkedClaims.ParkedClaim to;

    RunRequest(UUID id, long accountId, String name, String argsJson, int maxAttempts) {
      this.id = id;
      this.accountId = accountId;
      this.deploymentName = name;
      this.argsJson = argsJson;
      this.maxAttempts = maxAttempts;
    }
  }

  private record RunRow(boolean handed, ClaimedExecution call, long deploymentId) {}

  // The rows a statement works on come in as arrays, one element per row. Over arrays of any
  // length (unnest) PostgreSQL plans the statement afresh on every execution, which costs a lone
  // sync call more than the statement itself; over the first elements only, the statement keeps
  // one plan. So a batch of one takes its row from the first elements, the same parameters.
  private static final String RUN_ROWS =
      """
      SELECT * FROM unnest(:ids::uuid[], :accounts::bigint[], :names::text[], :args::text[],
                           :max_attempts::int[], :spots::uuid[])
             WITH ORDINALITY AS r(id, account, name, args, max_attempts, spot, ord)
      """;
  private static final String RUN_ROW =
      """
      SELECT (:ids::uuid[])[1] AS id, (:accounts::bigint[])[1] AS account,
             (:names::text[])[1] AS name, (:args::text[])[1] AS args,
             (:max_attempts::int[])[1] AS max_attempts, (:spots::uuid[])[1] AS spot,
             1::bigint AS ord
      """;
  private static final String OUTCOME_ROWS =
      """
      SELECT * FROM unnest(:ids::text[], :attempts::int[], :statuses::text[], :outputs::text[],
                           :logs::text[], :run_started::text[], :run_finished::text[])
             AS r(id, attempt, status, output, logs, run_started, run_finished)
      """;
  private static final String OUTCOME_ROW =
      """
      SELECT (:ids::text[])[1] AS id, (:attempts::int[])[1] AS attempt,
             (:statuses::text[])[1] AS status, (:outputs::text[])[1] AS output,
             (:logs::text[])[1] AS logs, (:run_started::text[])[1] AS run_started,
             (:run_finished::text[])[1] AS run_finished
      """;

  /**
   * Calls handed to an agent whose insert is not committed yet, each with that commit's end: what
   * the agent reports of them waits for it, as the row is invisible until then.
   */
  private final java.util.concurrent.ConcurrentHashMap<UUID, CompletableFuture<Void>> uncommitted =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** How long a report waits for the commit of a call handed over before it. */
  private static final Duration COMMIT_WAIT = Duration.ofSeconds(30);

  /**
   * Returns once none of {@code ids} is a handed-over call whose insert is still committing. The
   * ids are not even listed when nothing is committing, as for nearly every result of a bulk.
   */
  private void awaitCommitted(java.util.stream.Stream<UUID> ids) {
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
  int uncommittedHandOvers() {
    return uncommitted.size();
  }

  /**
   * Inserts the calls in one statement and settles each: its caller and its waiting agent. With
   * {@code handOver}, a call that goes to a stream's waiting poll is given to it between the
   * statement and its commit; everything else (ids to callers, claim polls, empty answers,
   * wake-ups) follows the commit.
   */
  private void insertRuns(List<RunRequest> batch, boolean handOver) {
    for (RunRequest r : batch) {
      r.to = handOver ? parked.take(r.accountId) : null;
    }
    boolean early = batch.stream().anyMatch(r -> r.to != null && r.to.reportsHere);
    Map<UUID, RunRow> rows = new HashMap<>();
    CompletableFuture<Void> commit = new CompletableFuture<>();
    List<UUID> handedEarly = new ArrayList<>();
    try {
      if (early) {
        // The statement, the hand-over, then the commit, which the agent's run overlaps.
        tx.executeWithoutResult(
            status -> {
              rows.putAll(insertRows(batch));
              handOverBeforeCommit(batch, rows, commit, handedEarly);
            });
      } else {
        rows.putAll(insertRows(batch));
      }
    } catch (RuntimeException e) {
      for (RunRequest r : batch) {
        if (r.to != null) {
          r.to.give(List.of());
        }
        r.outcome.completeExceptionally(e);
      }
      throw e;
    } finally {
      commit.complete(null);
      handedEarly.forEach(id -> uncommitted.remove(id, commit));
    }
    Set<Long> woken = new HashSet<>();
    for (RunRequest r : batch) {
      RunRow row = rows.get(r.id);
      boolean handed = row != null && row.handed();
      if (r.to != null) {
        // Always settled: with the call, or empty so that the poll looks in the queue again.
        r.to.give(handed ? List.of(row.call()) : List.of());
      }
      if (row != null && !handed && woken.add(r.accountId)) {
        wakeups.signalWork(r.accountId);
      }
      r.outcome.complete(
          row == null
              ? Optional.empty()
              : Optional.of(new EnqueuedRun(r.id, row.deploymentId(), handed)));
    }
  }

  /** The batch's one statement: its rows, by id, as inserted (handed over or queued). */
  private Map<UUID, RunRow> insertRows(List<RunRequest> batch) {
    int n = batch.size();
    String[] ids = new String[n];
    Long[] accounts = new Long[n];
    String[] names = new String[n];
    String[] args = new String[n];
    Integer[] maxAttempts = new Integer[n];
    String[] spots = new String[n];
    for (int i = 0; i < n; i++) {
      RunRequest r = batch.get(i);
      ids[i] = r.id.toString();
      accounts[i] = r.accountId;
      names[i] = r.deploymentName;
      args[i] = r.argsJson;
      maxAttempts[i] = r.maxAttempts;
      spots[i] = r.to == null ? null : r.to.spotId.toString();
    }
    Map<UUID, RunRow> rows = new HashMap<>();
    ClaimFloors.Insert running = floors.inserting();
    Instant now = clock.instant();
    try {
      jdbc.sql(
              "WITH r AS ("
                  + (n == 1 ? RUN_ROW : RUN_ROWS)
                  + """
        ), ins AS (
          INSERT INTO executions (id, account_id, kind, deployment_id, deployment_name,
                                  deployment_version, spot_id, args, status, attempts,
                                  max_attempts, lease_owner, lease_expires_at, created_at,
                                  started_at)
          SELECT r.id, r.account, :kind, d.id, d.name, d.current_version, s.id,
                 r.args::jsonb,
                 CASE WHEN s.id IS NOT NULL THEN 'Started' ELSE 'Pending' END,
                 CASE WHEN s.id IS NOT NULL THEN 1 ELSE 0 END, r.max_attempts, s.id,
                 CASE WHEN s.id IS NOT NULL THEN :lease_end::timestamptz END,
                 -- A microsecond apart, the calls keep their order in the queue.
                 :now::timestamptz + r.ord * interval '1 microsecond',
                 CASE WHEN s.id IS NOT NULL
                      THEN :now::timestamptz + r.ord * interval '1 microsecond' END
          FROM r
          JOIN deployments d ON d.account_id = r.account AND d.name = r.name
          -- A waiting agent's spot must still be Ready, as for any claim.
          LEFT JOIN spots s
            ON s.id = r.spot AND s.account_id = r.account AND s.state = 'Ready'
          RETURNING id, account_id, kind, status, attempts, lease_expires_at,
                    args::text AS args, deployment_id, deployment_name, deployment_version
        )
        SELECT ins.*, v.code, v.requirements, v.context, v.requirements_hash,
               v.timeout_seconds,
               CASE WHEN ins.status = 'Pending' AND :notify
                    THEN pg_notify(:channel, :node || '|' || ins.account_id::text)
               END::text AS notified
        FROM ins
        LEFT JOIN deployment_versions v
          ON ins.status = 'Started' AND v.deployment_id = ins.deployment_id
             AND v.version = ins.deployment_version
        """)
          .param("ids", ids)
          .param("accounts", accounts)
          .param("names", names)
          .param("args", args)
          .param("max_attempts", maxAttempts)
          .param("spots", spots)
          .param("kind", ExecutionKind.RUN_DEPLOYMENT)
          .param("lease_end", utc(now.plus(settings.lease())))
          .param("now", utc(now))
          .param("channel", PostgresNotificationListener.WORK_CHANNEL)
          .param("node", wakeups.nodeId())
          .param("notify", wakeups.peers())
          .query(
              rs -> {
                rows.put(
                    rs.getObject("id", UUID.class),
                    new RunRow(
                        Started.name().equals(rs.getString("status")),
                        claimed(rs),
                        rs.getLong("deployment_id")));
              });
    } finally {
      afterTransaction(status -> floors.inserted(running));
    }
    return rows;
  }

  /**
   * Runs {@code then} with how the current transaction ended (a {@link TransactionSynchronization}
   * status), once it has; at once, as committed, if there is none: a statement outside one has
   * committed when it returns.
   */
  private static void afterTransaction(java.util.function.IntConsumer then) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      then.accept(TransactionSynchronization.STATUS_COMMITTED);
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCompletion(int status) {
            then.accept(status);
          }
        });
  }

  /**
   * Gives the calls inserted leased to a stream's poll to it, before the commit: each is first
   * registered with that commit, so that what its agent reports of it waits for the row.
   */
  private void handOverBeforeCommit(
      List<RunRequest> batch,
      Map<UUID, RunRow> rows,
      CompletableFuture<Void> commit,
      List<UUID> handedEarly) {
    for (RunRequest r : batch) {
      RunRow row = rows.get(r.id);
      if (r.to != null && r.to.reportsHere && row != null && row.handed()) {
        uncommitted.put(r.id, commit);
        handedEarly.add(r.id);
        r.to.give(List.of(row.call()));
        r.to = null;
      }
    }
  }

  /**
   * Parks an agent's long poll that found no work, so that the account's next call on this node is
   * handed to it directly, once its insert is committed; see {@link ParkedClaims}.
   */
  public ParkedClaims.ParkedClaim park(long accountId, UUID spotId) {
    return parked.park(accountId, spotId, false);
  }

  /**
   * As {@link #park(long, UUID)}, for a poll whose agent reports on the same connection to this
   * node (its stream): a call is handed to it before its insert is committed, as the reports of it
   * are made to wait here for that commit.
   */
  public ParkedClaims.ParkedClaim parkReportingHere(long accountId, UUID spotId) {
    return parked.park(accountId, spotId, true);
  }

  /** The kinds of execution an agent runs: function calls, and deployment builds. */
  public static final String[] AGENT_KINDS = {
    ExecutionKind.RUN_DEPLOYMENT, ExecutionKind.CREATE_DEPLOYMENT
  };

  /**
   * The claim statement. It reads the account's pending rows in {@code executions_claim}'s order
   * (account, created_at) and stops after {@code :max} of the agent kinds, so its cost does not
   * grow with the queue behind them.
   */
  static final String CLAIM =
      """
      WITH picked AS (
        SELECT id FROM executions
        WHERE account_id = :account AND kind = ANY(:kinds::text[]) AND status = 'Pending'
          -- Only a ready spot of the account claims: a long poll still held open for a
          -- spot that was since removed or lost must not take work it will never run.
          AND EXISTS (SELECT 1 FROM spots s
                      WHERE s.id = :spot AND s.account_id = :account AND s.state = 'Ready')
          -- From the account's claim floor (see ClaimFloors): the entries of rows claimed
          -- before it, dead until the next vacuum, are not read. A subquery, so that the
          -- planner estimates every floor alike and keeps one plan instead of planning each
          -- claim for its floor.
          AND created_at >= (SELECT :from::timestamptz)
        ORDER BY created_at
        LIMIT :max
        FOR UPDATE SKIP LOCKED
      ), claimed AS (
        UPDATE executions e
        SET status = 'Started', lease_owner = :spot, lease_expires_at = :lease_end,
            attempts = e.attempts + 1, started_at = :now, spot_id = :spot,
            version = e.version + 1
        FROM picked WHERE e.id = picked.id
        RETURNING e.id, e.kind, e.attempts, e.lease_expires_at, e.args::text AS args,
                  e.deployment_id, e.deployment_name, e.deployment_version, e.created_at
      )
      SELECT c.*, v.code, v.requirements, v.context, v.requirements_hash, v.timeout_seconds
      FROM claimed c
      LEFT JOIN deployment_versions v
        ON v.deployment_id = c.deployment_id AND v.version = c.deployment_version
      ORDER BY c.created_at
      """;

  /**
   * Claims up to {@code max} of the account's oldest pending agent work (function calls and
   * deployment builds) for a spot, in one statement: rows locked by another claimer are skipped,
   * not waited for, so two agents never get the same call and never block each other.
   */
  public List<ClaimedExecution> claim(long accountId, UUID spotId, int max) {
    Instant now = clock.instant();
    ClaimFloors.Start start =
        floors.start(accountId, now, wakeups.peers() ? PEER_MARGIN : Duration.ZERO);
    Instant leaseEnd = now.plus(settings.lease());
    Instant[] oldest = new Instant[1];
    List<ClaimedExecution> calls;
    try {
      calls =
          jdbc.sql(CLAIM)
              .param("account", accountId)
              .param("kinds", AGENT_KINDS)
              .param("max", max)
              .param("spot", spotId)
              .param("from", utc(start.from() == null ? FRONT : start.from()))
              .param("lease_end", utc(leaseEnd))
              .param("now", utc(now))
              .query(
                  (rs, i) -> {
                    if (i == 0) {
                      // In creation order: the first is the oldest.
                      oldest[0] = rs.getObject("created_at", OffsetDateTime.class).toInstant();
                    }
                    return claimed(rs);
                  })
              .list();
    } catch (RuntimeException e) {
      // Rolled back: the rows it had locked, which others skipped, are pending again.
      floors.invalidate();
      throw e;
    }
    if (!calls.isEmpty()) {
      floors.claimed(start, oldest[0]);
      // In a caller's transaction that rolls back, the rows are pending again.
      afterTransaction(
          status -> {
            if (status != TransactionSynchronization.STATUS_COMMITTED) {
              floors.invalidate();
            }
          });
    }
    return calls;
  }

  /** Where the account's next claim reads from, if not from the front (for tests). */
  Instant claimFloor(long accountId) {
    return floors.floorOf(accountId);
  }

  /** Where a claim reads from when it has no floor: before any row's creation time. */
  private static final Instant FRONT = Instant.EPOCH;

  private static ClaimedExecution claimed(java.sql.ResultSet rs) throws java.sql.SQLException {
    OffsetDateTime leaseEnd = rs.getObject("lease_expires_at", OffsetDateTime.class);
    return new ClaimedExecution(
        rs.getObject("id", UUID.class),
        rs.getString("kind"),
        rs.getInt("attempts"),
        leaseEnd == null ? null : leaseEnd.toInstant(),
        rs.getString("args"),
        (Long) rs.getObject("deployment_id"),
        rs.getString("deployment_name"),
        (Integer) rs.getObject("deployment_version"),
        rs.getString("code"),
        rs.getString("requirements"),
        rs.getString("context"),
        rs.getString("requirements_hash"),
        (Integer) rs.getObject("timeout_seconds"));
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
    if (outcomes.isEmpty()) {
      return List.of();
    }
    awaitCommitted(outcomes.stream().map(Outcome::executionId));
    int n = outcomes.size();
    String[] ids = new String[n];
    Integer[] attempts = new Integer[n];
    String[] statuses = new String[n];
    String[] outputs = new String[n];
    String[] logs = new String[n];
    String[] runStarted = new String[n];
    String[] runFinished = new String[n];
    int i = 0;
    for (Outcome o : outcomes) {
      runStarted[i] = o.runStartedAt() == null ? null : o.runStartedAt().toString();
      runFinished[i] = o.runFinishedAt() == null ? null : o.runFinishedAt().toString();
      ids[i] = o.executionId().toString();
      attempts[i] = o.attempt();
      statuses[i] = o.status().name();
      outputs[i] = o.outputJson() == null ? "null" : o.outputJson();
      logs[i] = o.logs();
      i++;
    }
    List<Finished> done =
        jdbc.sql(completion(n))
            .param("ids", ids)
            .param("attempts", attempts)
            .param("statuses", statuses)
            .param("outputs", outputs)
            .param("logs", logs)
            .param("run_started", runStarted)
            .param("run_finished", runFinished)
            .param("now", utc(clock.instant()))
            .param("from", Started.name())
            .param("spot", spotId)
            .param("channel", PostgresNotificationListener.DONE_CHANNEL)
            .param("node", wakeups.nodeId())
            .param("notify", wakeups.peers())
            .query(
                (rs, k) ->
                    new Finished(
                        rs.getObject("id", UUID.class),
                        rs.getString("kind"),
                        rs.getString("deployment_name"),
                        ExecutionStatus.valueOf(rs.getString("status")),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("finished_at", OffsetDateTime.class).toInstant()))
            .list();
    Map<UUID, Outcome> byId = new HashMap<>();
    outcomes.forEach(o -> byId.put(o.executionId(), o));
    for (Finished f : done) {
      Outcome o = byId.get(f.id());
      wakeups.signalDone(
          f.id(),
          new Wakeups.Done(o.status().name(), o.outputJson() == null ? "null" : o.outputJson()));
    }
    return done;
  }

  /**
   * The statement that records {@code n} outcomes of a spot's calls, for those still leased to it
   * at that attempt.
   */
  static String completion(int n) {
    return "WITH r AS MATERIALIZED (SELECT rows.*, :from::text AS from_status,"
        + " :spot::uuid AS spot FROM ("
        + (n == 1 ? OUTCOME_ROW : OUTCOME_ROWS)
        + """
        ) rows), upd AS (
          UPDATE executions e
          SET status = r.status, output = r.output::jsonb, logs = r.logs,
              finished_at = :now, lease_owner = NULL, lease_expires_at = NULL,
              run_started_at = r.run_started::timestamptz,
              run_finished_at = r.run_finished::timestamptz,
              version = e.version + 1
          FROM r
          -- Each row is found by its id alone: the other conditions compare it with r's
          -- columns, not with constants. A constant status or lease owner would let the
          -- planner, whose statistics see no started row, read a partial index of started
          -- or leased rows instead, whose dead entries grow with every call since the
          -- last vacuum (IS NOT DISTINCT FROM is not indexable, unlike =).
          WHERE e.id = r.id::uuid AND e.attempts = r.attempt
            AND e.status = r.from_status AND e.lease_owner IS NOT DISTINCT FROM r.spot
          RETURNING e.id, e.kind, e.deployment_name, e.status, e.created_at,
                    e.finished_at
        )
        SELECT upd.*,
               CASE WHEN :notify THEN pg_notify(:channel, :node || '|' || id::text)
               END::text AS notified
        FROM upd
        """;
  }

  /**
   * Finishes a task the server carries out itself (deployment and spot management), which holds no
   * lease. Returns false when it had already finished.
   */
  public boolean finishTask(UUID id, ExecutionStatus status, String outputJson) {
    if (!status.isFinal()) {
      throw new IllegalArgumentException("a task finishes in a final status, not " + status);
    }
    Instant now = clock.instant();
    boolean changed =
        jdbc.sql(
                    """
                WITH upd AS (
                  UPDATE executions
                  SET status = :status, output = :output::jsonb, finished_at = :now,
                      started_at = coalesce(started_at, :now), lease_owner = NULL,
                      lease_expires_at = NULL, version = version + 1
                  WHERE id = :id AND status = ANY(:from::text[])
                  RETURNING id
                )
                SELECT id,
                       CASE WHEN :notify THEN pg_notify(:channel, :node || '|' || id::text)
                       END::text AS notified
                FROM upd
                """)
                .param("status", status.name())
                .param("output", outputJson == null ? "null" : outputJson)
                .param("now", utc(now))
                .param("id", id)
                .param("from", ExecutionStatus.sourcesOf(status))
                .param("channel", PostgresNotificationListener.DONE_CHANNEL)
                .param("node", wakeups.nodeId())
                .param("notify", wakeups.peers())
                .query()
                .listOfRows()
                .size()
            == 1;
    if (changed) {
      wakeups.signalDone(id);
    }
    return changed;
  }

  /**
   * Cancels an execution of the account. A pending one never runs; a started one is marked
   * Cancelled at once and its agent is told to stop it at its next heartbeat (the lease owner is
   * kept for that). Returns the row after the change, or the unchanged row if it had finished.
   */
  public Optional<ExecutionRow> cancel(long accountId, UUID id) {
    return tryCancel(accountId, id).map(Cancellation::row);
  }

  /** A cancel's result: the row as it is now, and whether this call is what cancelled it. */
  public record Cancellation(ExecutionRow row, boolean cancelled) {}

  /**
   * As {@link #cancel}, also saying whether this call cancelled it: of two cancels at once, one
   * cancels and the other finds it finished.
   */
  public Optional<Cancellation> tryCancel(long accountId, UUID id) {
    Instant now = clock.instant();
    int changed =
        jdbc.sql(
                """
                WITH upd AS (
                  UPDATE executions
                  SET status = 'Cancelled', finished_at = :now,
                      output = to_jsonb('Cancelled by the caller'::text), version = version + 1
                  WHERE id = :id AND account_id = :account AND status = ANY(:from::text[])
                  RETURNING id
                )
                SELECT id,
                       CASE WHEN :notify THEN pg_notify(:channel, :node || '|' || id::text)
                       END::text AS notified
                FROM upd
                """)
            .param("now", utc(now))
            .param("id", id)
            .param("account", accountId)
            .param("from", ExecutionStatus.sourcesOf(Cancelled))
            .param("channel", PostgresNotificationListener.DONE_CHANNEL)
            .param("node", wakeups.nodeId())
            .param("notify", wakeups.peers())
            .query()
            .listOfRows()
            .size();
    if (changed == 1) {
      wakeups.signalDone(id);
    }
    return ExecutionQueries.find(jdbc, accountId, id).map(r -> new Cancellation(r, changed == 1));
  }

  /**
   * A heartbeat's statement: the named calls still leased to the spot get a later lease end, and
   * the cancelled ones are listed. The rows are found by id alone, as in {@link #completion}: the
   * spot and the statuses come from a materialized row, not constants, so that no partial index of
   * started, leased or finished rows (whose entries, live or dead, grow with the load) can look
   * cheaper to the planner.
   */
  static final String RENEW_LEASES =
      """
      WITH want AS MATERIALIZED (
        SELECT :spot::uuid AS spot, 'Started'::text AS running, 'Cancelled'::text AS cancelled
      ), ext AS (
        UPDATE executions e SET lease_expires_at = :lease_end
        FROM want w
        WHERE e.id = ANY(:ids::uuid[]) AND e.lease_owner IS NOT DISTINCT FROM w.spot
          AND e.status = w.running
        RETURNING e.id, e.status
      )
      SELECT id, status FROM ext
      UNION ALL
      SELECT e.id, e.status FROM executions e, want w
      WHERE e.id = ANY(:ids::uuid[]) AND e.lease_owner IS NOT DISTINCT FROM w.spot
        AND e.status = w.cancelled
      """;

  /**
   * A spot's heartbeat: extends the leases of the calls it still runs, and tells it which of the
   * calls it named were cancelled or are no longer its own (another spot's, or finished). An id
   * with no row of the spot's account is in none of the three.
   */
  public LeaseRenewal renewLeases(UUID spotId, Collection<UUID> running) {
    if (running.isEmpty()) {
      return new LeaseRenewal(Set.of(), Set.of(), Set.of());
    }
    String[] ids = running.stream().map(UUID::toString).toArray(String[]::new);
    Instant leaseEnd = clock.instant().plus(settings.lease());
    Set<UUID> extended = new HashSet<>();
    Set<UUID> cancelled = new HashSet<>();
    jdbc.sql(RENEW_LEASES)
        .param("lease_end", utc(leaseEnd))
        .param("ids", ids)
        .param("spot", spotId)
        .query(
            rs -> {
              UUID id = rs.getObject("id", UUID.class);
              (Started.name().equals(rs.getString("status")) ? extended : cancelled).add(id);
            });
    Set<UUID> lost = new HashSet<>(running);
    lost.removeAll(extended);
    lost.removeAll(cancelled);
    if (!lost.isEmpty()) {
      // Lost are the spot's account's calls that are another spot's now, or over. A call with no
      // row is in no list: it may have been handed over before its insert committed, on a node
      // that this heartbeat did not reach. Another account's are in none either (nothing of them
      // is told).
      lost.retainAll(
          jdbc.sql(
                  """
                  SELECT e.id FROM executions e JOIN spots s ON s.account_id = e.account_id
                  WHERE s.id = :spot AND e.id = ANY(:ids::uuid[])
                  """)
              .param("spot", spotId)
              .param("ids", lost.stream().map(UUID::toString).toArray(String[]::new))
              .query(UUID.class)
              .set());
    }
    return new LeaseRenewal(extended, cancelled, lost);
  }

  /**
   * A stopping agent hands back calls it will not finish: they go back to the queue at once, and
   * the attempt is not counted against them (the function did not fail, its spot went away in an
   * orderly way). Returns the ids taken back.
   */
  public Set<UUID> handBack(UUID spotId, Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    awaitCommitted(ids.stream());
    List<ReapedExecution> back =
        jdbc.sql(
                """
                WITH upd AS (
                  UPDATE executions
                  SET status = 'Pending', attempts = greatest(attempts - 1, 0), lease_owner = NULL,
                      lease_expires_at = NULL, version = version + 1
                  WHERE id = ANY(:ids::uuid[]) AND lease_owner = :spot AND status = 'Started'
                  RETURNING id, account_id, status
                )
                SELECT upd.*,
                       CASE WHEN :notify
                            THEN pg_notify(:channel, :node || '|' || upd.account_id::text)
                       END::text AS n
                FROM upd
                """)
            .param("ids", ids.stream().map(UUID::toString).toArray(String[]::new))
            .param("spot", spotId)
            .param("channel", PostgresNotificationListener.WORK_CHANNEL)
            .param("node", wakeups.nodeId())
            .param("notify", wakeups.peers())
            .query(
                (rs, i) ->
                    new ReapedExecution(
                        rs.getObject("id", UUID.class), rs.getLong("account_id"), Pending))
            .list();
    if (!back.isEmpty()) {
      afterTransaction(status -> floors.invalidate());
    }
    Set<UUID> taken = new LinkedHashSet<>();
    for (ReapedExecution r : back) {
      taken.add(r.id());
      wakeups.signalWork(r.accountId());
    }
    return taken;
  }

  /**
   * Puts back in the queue what a spot held, at once: the spot is gone, drained or handed the calls
   * back. Each such call counts as an attempt; past the limit it fails.
   */
  public List<ReapedExecution> releaseSpot(UUID spotId, String reason) {
    List<ReapedExecution> all = new ArrayList<>();
    List<ReapedExecution> batch;
    do {
      batch = requeue("lease_owner = :spot AND status = 'Started'", spotId, reason);
      all.addAll(batch);
    } while (batch.size() == settings.reapBatch());
    return all;
  }

  /**
   * The reaper: started executions whose lease expired (agent dead, spot gone) go back to the
   * queue, or end in Failure with the reason once they used up their attempts.
   */
  public List<ReapedExecution> reapExpiredLeases() {
    return requeue(
        "status = 'Started' AND lease_expires_at < :now", null, "its spot stopped reporting");
  }

  private List<ReapedExecution> requeue(String predicate, UUID spotId, String reason) {
    Instant now = clock.instant();
    List<ReapedExecution> reaped =
        jdbc.sql(
                """
                WITH expired AS (
                  SELECT id FROM executions WHERE %s
                  ORDER BY lease_expires_at LIMIT :batch FOR UPDATE SKIP LOCKED
                ), upd AS (
                  UPDATE executions e
                  SET status = CASE WHEN e.attempts >= e.max_attempts THEN 'Failure'
                                    ELSE 'Pending' END,
                      output = CASE WHEN e.attempts >= e.max_attempts
                                    THEN to_jsonb(format(
                                      'Failed after %%s attempt(s): the lease expired because %%s.',
                                      e.attempts, :reason::text))
                                    ELSE e.output END,
                      finished_at = CASE WHEN e.attempts >= e.max_attempts THEN :now END,
                      lease_owner = NULL, lease_expires_at = NULL, version = e.version + 1
                  FROM expired WHERE e.id = expired.id
                  RETURNING e.id, e.account_id, e.status
                )
                SELECT upd.*,
                       CASE WHEN NOT :notify THEN NULL
                            WHEN upd.status = 'Failure'
                            THEN pg_notify(:done_channel, :node || '|' || upd.id::text)
                            ELSE pg_notify(:work_channel, :node || '|' || upd.account_id::text)
                       END::text AS notified
                FROM upd
                """
                    .formatted(predicate))
            .param("now", utc(now))
            .param("spot", spotId)
            .param("batch", settings.reapBatch())
            .param("reason", reason)
            .param("done_channel", PostgresNotificationListener.DONE_CHANNEL)
            .param("work_channel", PostgresNotificationListener.WORK_CHANNEL)
            .param("node", wakeups.nodeId())
            .param("notify", wakeups.peers())
            .query(
                (rs, i) ->
                    new ReapedExecution(
                        rs.getObject("id", UUID.class),
                        rs.getLong("account_id"),
                        ExecutionStatus.valueOf(rs.getString("status"))))
            .list();
    if (reaped.stream().anyMatch(r -> r.status() == Pending)) {
      // Back in the queue with their creation times, below the floors of claims.
      afterTransaction(status -> floors.invalidate());
    }
    for (ReapedExecution r : reaped) {
      if (r.status() == Failure) {
        wakeups.signalDone(r.id());
      } else if (r.status() == Pending) {
        wakeups.signalWork(r.accountId());
      }
    }
    return reaped;
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
