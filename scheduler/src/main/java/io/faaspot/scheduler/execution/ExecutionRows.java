package io.faaspot.scheduler.execution;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * How a row of {@code executions} is read into an {@link ExecutionRow}: the columns to select (with
 * the JSON ones as text) and the mapping of each. Apart from {@link ExecutionQueries} so that the
 * statements there read as their predicates.
 */
final class ExecutionRows {
  static final String COLUMNS =
      """
      id, account_id, kind, deployment_id, deployment_name, deployment_version, spot_id,
      args::text AS args, status, output::text AS output, logs, attempts, max_attempts,
      lease_owner, lease_expires_at, created_at, started_at, finished_at, run_started_at,
      run_finished_at
      """;

  private ExecutionRows() {}

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
