package io.faaspot.scheduler.execution;

import static io.faaspot.scheduler.execution.ExecutionStatus.Failure;
import static io.faaspot.scheduler.execution.ExecutionStatus.Pending;
import static io.faaspot.scheduler.execution.QueueContext.afterTransaction;
import static io.faaspot.scheduler.execution.QueueContext.utc;

import io.faaspot.scheduler.wakeup.PostgresNotificationListener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Started calls going back to the queue: handed back by a stopping agent, released with their spot,
 * or reaped once their lease expired. Each requeue puts rows below the claim floors, so it ends
 * them once committed ({@link ClaimFloors#invalidate}).
 */
final class Requeue {
  /**
   * The attempt is not counted: the function did not fail, its spot went away in an orderly way.
   */
  private static final String HAND_BACK =
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
      """;

  /** {@code %s}: which started rows; each counts as an attempt, and past the limit it fails. */
  private static final String REQUEUE =
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
      """;

  private final QueueContext q;
  private final UncommittedHandOvers uncommitted;

  Requeue(QueueContext q, UncommittedHandOvers uncommitted) {
    this.q = q;
    this.uncommitted = uncommitted;
  }

  Set<UUID> handBack(UUID spotId, Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    uncommitted.awaitCommitted(ids.stream());
    List<ReapedExecution> back =
        q.sqlNotifying(HAND_BACK, PostgresNotificationListener.WORK_CHANNEL)
            .param("ids", ids.stream().map(UUID::toString).toArray(String[]::new))
            .param("spot", spotId)
            .query(
                (rs, i) ->
                    new ReapedExecution(
                        rs.getObject("id", UUID.class), rs.getLong("account_id"), Pending))
            .list();
    if (!back.isEmpty()) {
      afterTransaction(status -> q.floors().invalidate());
    }
    Set<UUID> taken = new LinkedHashSet<>();
    for (ReapedExecution r : back) {
      taken.add(r.id());
      q.wakeups().signalWork(r.accountId());
    }
    return taken;
  }

  List<ReapedExecution> releaseSpot(UUID spotId, String reason) {
    List<ReapedExecution> all = new ArrayList<>();
    List<ReapedExecution> batch;
    do {
      batch = requeue("lease_owner = :spot AND status = 'Started'", spotId, reason);
      all.addAll(batch);
    } while (batch.size() == q.settings().reapBatch());
    return all;
  }

  List<ReapedExecution> reapExpiredLeases() {
    return requeue(
        "status = 'Started' AND lease_expires_at < :now", null, "its spot stopped reporting");
  }

  private List<ReapedExecution> requeue(String predicate, UUID spotId, String reason) {
    List<ReapedExecution> reaped =
        q.jdbc()
            .sql(REQUEUE.formatted(predicate))
            .param("now", utc(q.clock().instant()))
            .param("spot", spotId)
            .param("batch", q.settings().reapBatch())
            .param("reason", reason)
            .param("done_channel", PostgresNotificationListener.DONE_CHANNEL)
            .param("work_channel", PostgresNotificationListener.WORK_CHANNEL)
            .param("node", q.wakeups().nodeId())
            .param("notify", q.wakeups().peers())
            .query(
                (rs, i) ->
                    new ReapedExecution(
                        rs.getObject("id", UUID.class),
                        rs.getLong("account_id"),
                        ExecutionStatus.valueOf(rs.getString("status"))))
            .list();
    if (reaped.stream().anyMatch(r -> r.status() == Pending)) {
      // Back in the queue with their creation times, below the floors of claims.
      afterTransaction(status -> q.floors().invalidate());
    }
    for (ReapedExecution r : reaped) {
      if (r.status() == Failure) {
        q.wakeups().signalDone(r.id());
      } else if (r.status() == Pending) {
        q.wakeups().signalWork(r.accountId());
      }
    }
    return reaped;
  }
}
