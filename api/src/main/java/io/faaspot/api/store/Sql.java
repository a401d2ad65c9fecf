package io.faaspot.api.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.dao.OptimisticLockingFailureException;

/**
 * What the stores of accounts, tokens, spots and deployments share: their rows are read and written
 * with plain SQL ({@code JdbcClient}), like the queue's, and a {@code timestamptz} column travels
 * as an {@link OffsetDateTime} in UTC.
 */
public final class Sql {
  private Sql() {}

  /** An instant as the driver binds it to a {@code timestamptz}; null stays null. */
  public static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  /** A {@code timestamptz} column as an instant; null stays null. */
  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /**
   * An update guarded by the row's version ({@code where version = :version}) changed nothing:
   * another transaction changed the row since it was read.
   */
  public static void updatedOne(int rows, String table, Object id) {
    if (rows != 1) {
      throw new OptimisticLockingFailureException(
          table + " " + id + " was changed or removed by another transaction");
    }
  }
}
