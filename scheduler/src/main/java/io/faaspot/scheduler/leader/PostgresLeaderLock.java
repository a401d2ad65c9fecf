package io.faaspot.scheduler.leader;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election with a PostgreSQL session advisory lock: the node that holds the lock on its own
 * connection leads; if that node dies its connection closes, the lock is released, and the next
 * node to ask takes over. No table, no clock, no lease to tune.
 */
public final class PostgresLeaderLock implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostgresLeaderLock.class);

  private final DataSource dataSource;
  private final long key;
  private Connection connection;

  public PostgresLeaderLock(DataSource dataSource, long key) {
    this.dataSource = dataSource;
    this.key = key;
  }

  /** Whether this node leads now; tries to become leader when it does not. */
  public synchronized boolean isLeader() {
    try {
      if (connection != null) {
        if (connection.isValid(2)) {
          return true;
        }
        log.warn("leader connection lost; giving up leadership");
        closeQuietly();
      }
      Connection c = dataSource.getConnection();
      c.setAutoCommit(true);
      try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
        s.setLong(1, key);
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next() && rs.getBoolean(1)) {
            connection = c;
            log.info("this node is now the leader (advisory lock {})", key);
            return true;
          }
        }
      }
      c.close();
      return false;
    } catch (SQLException e) {
      log.warn("leader election failed: {}", e.getMessage());
      closeQuietly();
      return false;
    }
  }

  private void closeQuietly() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Closing releases the lock anyway.
      }
      connection = null;
    }
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      try (PreparedStatement s = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
        s.setLong(1, key);
        s.execute();
      } catch (SQLException ignored) {
        // The connection closing below releases it.
      }
      closeQuietly();
    }
  }
}
