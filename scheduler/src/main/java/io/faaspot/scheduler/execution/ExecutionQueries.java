package io.faaspot.scheduler.execution;

import static io.faaspot.scheduler.execution.ExecutionRows.COLUMNS;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads of executions, always within one account. */
public final class ExecutionQueries {
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
        .query(ExecutionRows::row)
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
        .query(ExecutionRows::row)
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
    return spec.param("limit", limit).param("offset", offset).query(ExecutionRows::row).list();
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
    return spec.param("limit", limit).param("offset", offset).query(ExecutionRows::row).list();
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
}
