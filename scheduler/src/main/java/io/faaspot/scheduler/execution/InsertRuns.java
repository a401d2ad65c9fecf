package io.faaspot.scheduler.execution;

import static io.faaspot.scheduler.execution.ExecutionStatus.Started;
import static io.faaspot.scheduler.execution.QueueContext.afterTransaction;
import static io.faaspot.scheduler.execution.QueueContext.utc;

import io.faaspot.scheduler.execution.ExecutionQueue.EnqueuedRun;
import io.faaspot.scheduler.wakeup.PostgresNotificationListener;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The statement of a group of function calls ({@link EnqueueRuns}): each call's deployment is
 * resolved by name in the statement that inserts it, and a call that goes to an agent's waiting
 * long poll on this node ({@link ParkedClaims}) is inserted already leased to its spot and handed
 * to the poll directly, with no queueing, wake-up and claim.
 */
final class InsertRuns {
  /** One call waiting to be inserted, and where its caller waits for the outcome. */
  static final class RunRequest {
    final UUID id;
    final long accountId;
    final String deploymentName;
    final String argsJson;
    final int maxAttempts;
    final CompletableFuture<Optional<EnqueuedRun>> outcome = new CompletableFuture<>();
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

  /** After the rows ({@code r}): the insert, and the hand-over's deployment version. */
  private static final String INSERT =
      """
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
      """;

  private final QueueContext q;
  private final TransactionOperations tx;
  private final ParkedClaims parked;
  private final UncommittedHandOvers uncommitted;

  InsertRuns(
      QueueContext q,
      TransactionOperations tx,
      ParkedClaims parked,
      UncommittedHandOvers uncommitted) {
    this.q = q;
    this.tx = tx;
    this.parked = parked;
    this.uncommitted = uncommitted;
  }

  /**
   * Inserts the calls in one statement and settles each: its caller and its waiting agent. With
   * {@code handOver}, a call that goes to a stream's waiting poll is given to it between the
   * statement and its commit; everything else (ids to callers, claim polls, empty answers,
   * wake-ups) follows the commit.
   */
  void insertRuns(List<RunRequest> batch, boolean handOver) {
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
      uncommitted.ended(handedEarly, commit);
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
        q.wakeups().signalWork(r.accountId);
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
    ClaimFloors.Insert running = q.floors().inserting();
    Instant now = q.clock().instant();
    try {
      q.sqlNotifying(
              "WITH r AS (" + (n == 1 ? RUN_ROW : RUN_ROWS) + INSERT,
              PostgresNotificationListener.WORK_CHANNEL)
          .param("ids", ids)
          .param("accounts", accounts)
          .param("names", names)
          .param("args", args)
          .param("max_attempts", maxAttempts)
          .param("spots", spots)
          .param("kind", ExecutionKind.RUN_DEPLOYMENT)
          .param("lease_end", utc(now.plus(q.settings().lease())))
          .param("now", utc(now))
          .query(
              rs -> {
                rows.put(
                    rs.getObject("id", UUID.class),
                    new RunRow(
                        Started.name().equals(rs.getString("status")),
                        Claims.claimed(rs),
                        rs.getLong("deployment_id")));
              });
    } finally {
      afterTransaction(status -> q.floors().inserted(running));
    }
    return rows;
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
        uncommitted.handedOver(r.id, commit);
        handedEarly.add(r.id);
        r.to.give(List.of(row.call()));
        r.to = null;
      }
    }
  }
}
