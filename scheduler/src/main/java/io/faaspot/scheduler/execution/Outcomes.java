package io.faaspot.scheduler.execution;

import static io.faaspot.scheduler.execution.ExecutionStatus.Started;
import static io.faaspot.scheduler.execution.QueueContext.utc;

import io.faaspot.scheduler.wakeup.PostgresNotificationListener;
import io.faaspot.scheduler.wakeup.Wakeups;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The outcomes agents report, many in one statement: each is taken only while its execution is
 * still Started, leased to the reporting spot, at the reported attempt.
 */
final class Outcomes {
  // As InsertRuns' rows: a batch of one reads the first elements, so that it keeps one plan.
  // A batch of more takes them all, with a LIMIT that says so: in the plan PostgreSQL keeps for
  // the statement, which cannot see the arrays, the LIMIT makes it expect ten rows rather than
  // unnest's hundred, so that this plan looks no dearer than one made for the batch at hand, and
  // is taken. Without it, PostgreSQL planned every small batch anew (0.2 to 0.5 ms of its CPU).
  // The plan is the same either way: each row found by its id.
  private static final String OUTCOME_ROWS =
      """
      SELECT * FROM unnest(:ids::text[], :attempts::int[], :statuses::text[], :outputs::text[],
                           :logs::text[], :run_started::text[], :run_finished::text[])
             AS r(id, attempt, status, output, logs, run_started, run_finished)
      LIMIT cardinality(:ids::text[])
      """;
  private static final String OUTCOME_ROW =
      """
      SELECT (:ids::text[])[1] AS id, (:attempts::int[])[1] AS attempt,
             (:statuses::text[])[1] AS status, (:outputs::text[])[1] AS output,
             (:logs::text[])[1] AS logs, (:run_started::text[])[1] AS run_started,
             (:run_finished::text[])[1] AS run_finished
      """;

  private static final String UPDATE =
      """
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

  /**
   * The statement that records {@code n} outcomes of a spot's calls, for those still leased to it
   * at that attempt.
   */
  static String completion(int n) {
    // With :flush_later, the statement's own (implicit) transaction commits without waiting for
    // its flush: set_config(..., true) holds until that commit, and r, materialized and read by
    // the update, is where it is sure to be evaluated.
    return "WITH r AS MATERIALIZED (SELECT rows.*, :from::text AS from_status,"
        + " :spot::uuid AS spot, CASE WHEN :flush_later"
        + " THEN set_config('synchronous_commit', 'off', true) END AS commit_mode FROM ("
        + (n == 1 ? OUTCOME_ROW : OUTCOME_ROWS)
        + UPDATE;
  }

  private final QueueContext q;
  private final UncommittedHandOvers uncommitted;

  Outcomes(QueueContext q, UncommittedHandOvers uncommitted) {
    this.q = q;
    this.uncommitted = uncommitted;
  }

  List<Finished> completeAll(UUID spotId, Collection<Outcome> outcomes) {
    if (outcomes.isEmpty()) {
      return List.of();
    }
    uncommitted.awaitCommitted(outcomes.stream().map(Outcome::executionId));
    // Only when every caller of the batch waits here, answered from what this statement returns;
    // never in a caller's transaction, whose other writes would then not wait either.
    boolean flushLater =
        q.settings().syncResultsBeforeFlush()
            && !TransactionSynchronizationManager.isActualTransactionActive()
            && outcomes.stream().allMatch(o -> q.wakeups().awaited(o.executionId()));
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
    long started = System.nanoTime();
    List<Finished> done =
        q.sqlNotifying(completion(n), PostgresNotificationListener.DONE_CHANNEL)
            .param("ids", ids)
            .param("attempts", attempts)
            .param("statuses", statuses)
            .param("outputs", outputs)
            .param("logs", logs)
            .param("run_started", runStarted)
            .param("run_finished", runFinished)
            .param("now", utc(q.clock().instant()))
            .param("from", Started.name())
            .param("spot", spotId)
            .param("flush_later", flushLater)
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
    q.wrote(QueueWrites.Write.COMPLETE, started);
    Map<UUID, Outcome> byId = new HashMap<>();
    outcomes.forEach(o -> byId.put(o.executionId(), o));
    for (Finished f : done) {
      Outcome o = byId.get(f.id());
      q.wakeups()
          .signalDone(
              f.id(),
              new Wakeups.Done(
                  o.status().name(), o.outputJson() == null ? "null" : o.outputJson()));
    }
    return done;
  }
}
