package io.faaspot.scheduler.execution;

import static io.faaspot.scheduler.execution.QueueContext.afterTransaction;
import static io.faaspot.scheduler.execution.QueueContext.utc;

import io.faaspot.scheduler.wakeup.PostgresNotificationListener;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Queues executions as Pending, many of one account in one statement (a bulk run, a deployment
 * build, a task), and wakes that account's agents once.
 */
final class EnqueueExecutions {
  private final QueueContext q;

  EnqueueExecutions(QueueContext q) {
    this.q = q;
  }

  List<UUID> enqueueAll(List<NewExecution> executions) {
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
    ClaimFloors.Insert running = q.floors().inserting();
    Instant now = q.clock().instant();
    long started = System.nanoTime();
    try {
      q.jdbc()
          .sql(
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
          .param("payload", q.wakeups().nodeId() + "|" + accountId)
          .param("notify", q.wakeups().peers())
          .query()
          .singleRow();
    } finally {
      afterTransaction(status -> q.floors().inserted(running));
    }
    q.wrote(QueueWrites.Write.INSERT, started);
    q.wakeups().signalWork(accountId);
    List<UUID> result = new ArrayList<>(n);
    for (NewExecution e : executions) {
      result.add(e.id());
    }
    return result;
  }
}
