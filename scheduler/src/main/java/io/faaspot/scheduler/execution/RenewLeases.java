package io.faaspot.scheduler.execution;

import static io.faaspot.scheduler.execution.ExecutionStatus.Started;
import static io.faaspot.scheduler.execution.QueueContext.utc;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * A spot's heartbeat: extends the leases of the calls it still runs, and tells it which of the
 * calls it named were cancelled or are no longer its own.
 */
final class RenewLeases {
  /**
   * A heartbeat's statement: the named calls still leased to the spot get a later lease end, and
   * the cancelled ones are listed. The rows are found by id alone, as in {@link
   * Outcomes#completion}: the spot and the statuses come from a materialized row, not constants, so
   * that no partial index of started, leased or finished rows (whose entries, live or dead, grow
   * with the load) can look cheaper to the planner.
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

  /** Of the ids, those of the spot's account: another account's are told nothing. */
  private static final String OF_SPOTS_ACCOUNT =
      """
      SELECT e.id FROM executions e JOIN spots s ON s.account_id = e.account_id
      WHERE s.id = :spot AND e.id = ANY(:ids::uuid[])
      """;

  private final QueueContext q;

  RenewLeases(QueueContext q) {
    this.q = q;
  }

  LeaseRenewal renewLeases(UUID spotId, Collection<UUID> running) {
    if (running.isEmpty()) {
      return new LeaseRenewal(Set.of(), Set.of(), Set.of());
    }
    String[] ids = running.stream().map(UUID::toString).toArray(String[]::new);
    Instant leaseEnd = q.clock().instant().plus(q.settings().lease());
    Set<UUID> extended = new HashSet<>();
    Set<UUID> cancelled = new HashSet<>();
    q.jdbc()
        .sql(RENEW_LEASES)
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
          q.jdbc()
              .sql(OF_SPOTS_ACCOUNT)
              .param("spot", spotId)
              .param("ids", lost.stream().map(UUID::toString).toArray(String[]::new))
              .query(UUID.class)
              .set());
    }
    return new LeaseRenewal(extended, cancelled, lost);
  }
}
