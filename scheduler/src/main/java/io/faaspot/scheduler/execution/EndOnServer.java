package io.faaspot.scheduler.execution;

import static io.faaspot.scheduler.execution.ExecutionStatus.Cancelled;
import static io.faaspot.scheduler.execution.QueueContext.utc;

import io.faaspot.scheduler.execution.ExecutionQueue.Cancellation;
import io.faaspot.scheduler.wakeup.PostgresNotificationListener;
import java.util.Optional;
import java.util.UUID;

/**
 * Executions the server ends itself, with no lease: a task it carried out (deployment and spot
 * management) finishes, and a caller cancels. Each is one statement from the statuses {@link
 * ExecutionStatus} allows, and wakes whoever waits for the execution.
 */
final class EndOnServer {
  private static final String FINISH_TASK =
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
      """;

  /** The lease owner is kept: the agent is told to stop the call at its next heartbeat. */
  private static final String CANCEL =
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
      """;

  private final QueueContext q;

  EndOnServer(QueueContext q) {
    this.q = q;
  }

  boolean finishTask(UUID id, ExecutionStatus status, String outputJson) {
    if (!status.isFinal()) {
      throw new IllegalArgumentException("a task finishes in a final status, not " + status);
    }
    boolean changed =
        q.sqlNotifying(FINISH_TASK, PostgresNotificationListener.DONE_CHANNEL)
                .param("status", status.name())
                .param("output", outputJson == null ? "null" : outputJson)
                .param("now", utc(q.clock().instant()))
                .param("id", id)
                .param("from", ExecutionStatus.sourcesOf(status))
                .query()
                .listOfRows()
                .size()
            == 1;
    if (changed) {
      q.wakeups().signalDone(id);
    }
    return changed;
  }

  Optional<Cancellation> tryCancel(long accountId, UUID id) {
    int changed =
        q.sqlNotifying(CANCEL, PostgresNotificationListener.DONE_CHANNEL)
            .param("now", utc(q.clock().instant()))
            .param("id", id)
            .param("account", accountId)
            .param("from", ExecutionStatus.sourcesOf(Cancelled))
            .query()
            .listOfRows()
            .size();
    if (changed == 1) {
      q.wakeups().signalDone(id);
    }
    return ExecutionQueries.find(q.jdbc(), accountId, id)
        .map(r -> new Cancellation(r, changed == 1));
  }
}
