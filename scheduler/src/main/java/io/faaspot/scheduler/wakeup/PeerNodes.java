package io.faaspot.scheduler.wakeup;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether other server nodes share the database, which decides whether this node sends NOTIFY at
 * all. Each node's listener connection is named after the node, so nodes can see each other in
 * {@code pg_stat_activity}. A node alone on its database sends no NOTIFY at all (they would come
 * back only to itself); one that sees another starts within {@link #EVERY}, while waiters on the
 * new node re-check by themselves every few seconds meanwhile.
 */
final class PeerNodes {
  static final String APPLICATION_PREFIX = "faaspot-node:";

  private static final Logger log = LoggerFactory.getLogger(PeerNodes.class);
  private static final Duration EVERY = Duration.ofSeconds(2);

  private final Wakeups wakeups;
  private long checkedAt;

  PeerNodes(Wakeups wakeups) {
    this.wakeups = wakeups;
  }

  /** Names the listener's connection after this node, for the other nodes to see. */
  void announce(Statement s) throws SQLException {
    s.execute("SET application_name = '" + APPLICATION_PREFIX + wakeups.nodeId() + "'");
  }

  /** Looks again if the last look is older than {@link #EVERY}. */
  void lookIfDue(Connection c) throws SQLException {
    if (System.nanoTime() - checkedAt > EVERY.toNanos()) {
      look(c);
    }
  }

  void look(Connection c) throws SQLException {
    checkedAt = System.nanoTime();
    try (var ps =
        c.prepareStatement(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND application_name LIKE ? AND application_name <> ?")) {
      ps.setString(1, APPLICATION_PREFIX + "%");
      ps.setString(2, APPLICATION_PREFIX + wakeups.nodeId());
      try (var rs = ps.executeQuery()) {
        rs.next();
        boolean present = rs.getLong(1) > 0;
        if (present != wakeups.peers()) {
          log.info(
              present
                  ? "other server nodes share the database: sending them wake-ups"
                  : "no other server node on the database: no wake-ups to send");
        }
        wakeups.peers(present);
      }
    }
  }
}
