package io.faaspot.scheduler.execution;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads of executions, always within one account. */
public final class ExecutionQueries {
  private static final String COLUMNS =
      """
      id, account_id, kind, deployment_id, deployment_name, deployment_version, spot_id,
      args::text AS args, status, output::text AS output, logs, attempts, max_attempts,
      lease_owner, lease_expires_at, created_at, started_at, finished_at, run_started_at,
      run_finished_at
      """;

  /**
   * The account's executions among {@code :ids}. Found by id alone: with {@code account_id =
   * :account} the planner may also read the account's whole history in executions_account_created
   * to intersect with (IS NOT DISTINCT FROM is the same test here, but not indexable).
   */
  static final String FIND_ALL =
      "SELECT "
          + COLUMNS
          + " FROM executions WHERE id = ANY(:ids::uuid[])"
          + " AND account_id IS NOT DISTINCT FROM :account";

  private final JdbcClient jdbc;

  public ExecutionQueries(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<ExecutionRow> find(long accountId, UUID id) {
    return find(jdbc, accountId, id);
  }

  static Optional<ExecutionRow> find(JdbcClient jdbc, long accountId, UUID id) {
    return jdbc.sql(
            "SELECT " + COLUMNS + " FROM executions WHERE id = :id AND account_id = :account")
        .param("id", id)
        .param("account", accountId)
        .query(ExecutionQueries::row)
        .optional();
  }

  /** The account's executions among {@code ids}, keyed by id; ids of others are absent. */
  public Map<UUID, ExecutionRow> findAll(long accountId, Collection<UUID> ids) {
    Map<UUID, ExecutionRow> found = new HashMap<>();
    if (ids.isEmpty()) {
      return found;
    }
    jdbc.sql(FIND_ALL)
        .param("ids", ids.stream().map(UUID::toString).toArray(String[]::new))
        .param("account", accountId)
        .query(ExecutionQueries::row)
        .list()
        .forEach(r -> found.put(r.id(), r));
    return found;
  }

  /**
   * The account's executions, newest first.
   *
   * @param includeCompleted false: only Pending and Started ones
   * @param deploymentId null: of every deployment and task
   */
  public List<ExecutionRow> list(
      long accountId, boolean includeCompleted, Long deploymentId, int limit, int offset) {
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(COLUMNS)
            .append(" FROM executions WHERE account_id = :account");
    if (!includeCompleted) {
      sql.append(" AND status IN ('Pending', 'Started')");
    }
    if (deploymentId != null) {
      sql.append(" AND deployment_id = :deployment");
    }
    sql.append(" ORDER BY created_at DESC LIMIT :limit OFFSET :offset");
    var spec = jdbc.sql(sql.toString()).param("account", accountId);
    if (deploymentId != null) {
      spec = spec.param("deployment", deploymentId);
    }
    return spec.param("limit", limit).param("offset", offset).query(ExecutionQueries::row).list();
  }

  /**
   * The account's executions in any of {@code statuses}, newest first (the console's filtered
   * list).
   *
   * @param statuses empty: in any status
   * @param deploymentId null: of every deployment and task
   */
  public List<ExecutionRow> list(
      long accountId,
      Collection<ExecutionStatus> statuses,
      Long deploymentId,
      int limit,
      int offset) {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM executions WHERE account_id = :account"
            + (statuses.isEmpty() ? "" : " AND status = ANY(:statuses::text[])")
            + (deploymentId == null ? "" : " AND deployment_id = :deployment")
            + " ORDER BY created_at DESC LIMIT :limit OFFSET :offset";
    var spec = jdbc.sql(sql).param("account", accountId);
    if (!statuses.isEmpty()) {
      spec =
          spec.param(
              "statuses", statuses.stream().map(ExecutionStatus::name).toArray(String[]::new));
    }
    if (deploymentId != null) {
      spec = spec.param("deployment", deploymentId);
    }
    return spec.param("limit", limit).param("offset", offset).query(ExecutionQueries::row).list();
  }

  /** How many executions of the account are in each status (for tests and metrics). */
  public Map<ExecutionStatus, Long> countByStatus(long accountId) {
    Map<ExecutionStatus, Long> counts = new HashMap<>();
    jdbc.sql(
            "SELECT status, count(*) AS n FROM executions WHERE account_id = :account GROUP BY status")
        .param("account", accountId)
        .query(
            rs -> {
              counts.put(ExecutionStatus.valueOf(rs.getString("status")), rs.getLong("n"));
            });
    return counts;
  }

  static ExecutionRow row(ResultSet rs, int rowNum) throws SQLException {
    return new ExecutionRow(
        rs.getObject("id", UUID.class),
        rs.getLong("account_id"),
        rs.getString("kind"),
        (Long) rs.getObject("deployment_id"),
        rs.getString("deployment_name"),
        (Integer) rs.getObject("deployment_version"),
        rs.getObject("spot_id", UUID.class),
        rs.getString("args"),
        ExecutionStatus.valueOf(rs.getString("status")),
        rs.getString("output"),
        rs.getString("logs"),
        rs.getInt("attempts"),
        rs.getInt("max_attempts"),
        rs.getObject("lease_owner", UUID.class),
        instant(rs, "lease_expires_at"),
        instant(rs, "created_at"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        instant(rs, "run_started_at"),
        instant(rs, "run_finished_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
