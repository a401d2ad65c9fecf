package io.faaspot.scheduler.execution;

import static io.faaspot.scheduler.execution.QueueContext.afterTransaction;
import static io.faaspot.scheduler.execution.QueueContext.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.transaction.support.TransactionSynchronization;

/**
 * Claims of pending agent work for a spot, from the account's claim floor ({@link ClaimFloors}): a
 * claim that took rows raises the floor, and one that failed or rolled back ends it.
 */
final class Claims {
  /** How often an account's claims read its queue from the front rather than from its floor. */
  static final Duration FRONT_SCAN_EVERY = Duration.ofSeconds(1);

  /**
   * How far below what this node saw a claim floor is kept while other nodes share the database:
   * their clocks and their commits are not seen here.
   */
  static final Duration PEER_MARGIN = Duration.ofSeconds(1);

  /** Where a claim reads from when it has no floor: before any row's creation time. */
  private static final Instant FRONT = Instant.EPOCH;

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

  private final QueueContext q;

  Claims(QueueContext q) {
    this.q = q;
  }

  List<ClaimedExecution> claim(long accountId, UUID spotId, int max) {
    ClaimFloors floors = q.floors();
    Instant now = q.clock().instant();
    ClaimFloors.Start start =
        floors.start(accountId, now, q.wakeups().peers() ? PEER_MARGIN : Duration.ZERO);
    Instant leaseEnd = now.plus(q.settings().lease());
    Instant[] oldest = new Instant[1];
    List<ClaimedExecution> calls;
    long started = System.nanoTime();
    try {
      calls =
          q.jdbc()
              .sql(CLAIM)
              .param("account", accountId)
              .param("kinds", ExecutionQueue.AGENT_KINDS)
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
    q.wrote(QueueWrites.Write.CLAIM, started);
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

  /** A claimed row (by a claim, or by an insert handed to a waiting poll) with what runs it. */
  static ClaimedExecution claimed(ResultSet rs) throws SQLException {
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
}
