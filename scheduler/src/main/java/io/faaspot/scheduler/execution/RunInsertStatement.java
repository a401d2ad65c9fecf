package io.faaspot.scheduler.execution;

import static io.faaspot.scheduler.execution.ExecutionStatus.Started;
import static io.faaspot.scheduler.execution.QueueContext.afterTransaction;
import static io.faaspot.scheduler.execution.QueueContext.utc;

import io.faaspot.scheduler.wakeup.PostgresNotificationListener;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one statement that inserts a group of function calls ({@link InsertRuns}): each call's
 * deployment is resolved by name, and a call given a waiting agent's spot is inserted already
 * leased to it, with its deployment version for the hand-over. Apart from {@link InsertRuns}, which
 * settles the callers and the agents around it, so that the SQL and its parameters read together.
 */
final class RunInsertStatement {
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

  RunInsertStatement(QueueContext q) {
    this.q = q;
  }

  /** The batch's one statement: its rows, by id, as inserted (handed over or queued). */
  Map<UUID, InsertedRun> insert(List<RunRequest> batch) {
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
    Map<UUID, InsertedRun> rows = new HashMap<>();
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
                    new InsertedRun(
                        Started.name().equals(rs.getString("status")),
                        Claims.claimed(rs),
                        rs.getLong("deployment_id")));
              });
    } finally {
      afterTransaction(status -> q.floors().inserted(running));
    }
    return rows;
  }
}
