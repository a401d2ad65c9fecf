package io.faaspot.scheduler.wakeup;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries wake-ups between server nodes: the queue sends {@code NOTIFY} in the statement that
 * enqueues or completes, and this listener, on its own connection, turns other nodes' notifications
 * into local {@link Wakeups} signals. Payloads are {@code node|value}. Whether to send them at all
 * is {@link PeerNodes}'s to tell.
 */
public final class PostgresNotificationListener implements AutoCloseable {
  public static final String WORK_CHANNEL = "faaspot_work";
  public static final String DONE_CHANNEL = "faaspot_done";

  private static final Logger log = LoggerFactory.getLogger(PostgresNotificationListener.class);

  private final DataSource dataSource;
  private final Wakeups wakeups;
  private final PeerNodes peers;
  private final Thread thread;
  private volatile boolean running = true;

  public PostgresNotificationListener(DataSource dataSource, Wakeups wakeups) {
    this.dataSource = dataSource;
    this.wakeups = wakeups;
    this.peers = new PeerNodes(wakeups);
    this.thread = Thread.ofPlatform().name("faaspot-pg-listener").daemon().unstarted(this::run);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    ReconnectBackoff backoff = new ReconnectBackoff();
    while (running) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          peers.announce(s);
          s.execute("LISTEN " + WORK_CHANNEL);
          s.execute("LISTEN " + DONE_CHANNEL);
        }
        peers.look(c);
        // Anything sent while we were not listening is lost: let every waiter look again.
        wakeups.wakeEveryone();
        backoff.reset();
        PGConnection pg = c.unwrap(PGConnection.class);
        try {
          while (running) {
            peers.lookIfDue(c);
            PGNotification[] batch = pg.getNotifications(1000);
            if (batch != null) {
              for (PGNotification n : batch) {
                dispatch(n.getName(), n.getParameter());
              }
            }
          }
        } finally {
          forget(c);
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn("notification listener lost its connection; retrying in {}", backoff.next(), e);
        if (!backoff.await()) {
          return;
        }
      }
    }
  }

  /**
   * The connection goes back to the pool neither listening (its notifications would pile up unread)
   * nor named after this node (others would count a node that is not listening).
   */
  private static void forget(Connection c) {
    try (Statement s = c.createStatement()) {
      s.execute("UNLISTEN *");
      s.execute("RESET application_name");
    } catch (SQLException | RuntimeException e) {
      // A broken connection is discarded by the pool anyway.
    }
  }

  void dispatch(String channel, String payload) {
    int bar = payload.indexOf('|');
    if (bar < 0 || payload.substring(0, bar).equals(wakeups.nodeId())) {
      return;
    }
    String value = payload.substring(bar + 1);
    try {
      if (WORK_CHANNEL.equals(channel)) {
        wakeups.signalWork(Long.parseLong(value));
      } else if (DONE_CHANNEL.equals(channel)) {
        wakeups.signalDone(UUID.fromString(value));
      }
    } catch (IllegalArgumentException e) {
      log.debug("ignoring malformed notification {} {}", channel, payload);
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(3));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
