package io.faaspot.api.secrets;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a server does with the key before it serves: checks that it is the key the contexts were
 * encrypted with ({@link SecretsKeyCheck}), encrypts the contexts older versions stored in plain
 * text, and re-encrypts those sealed with the previous key after a rotation.
 *
 * <p>All of it is one transaction under an advisory lock, so two servers starting at once take
 * turns (the second finds nothing left to do), and a start that fails half-way leaves the rows as
 * they were. The rows are read in batches, so a large table is not held in memory at once.
 */
final class EncryptContextsAtStart {
  /** The advisory lock key ("FSKEY" in ASCII); the reconciler's leader lock is another. */
  private static final long LOCK = 0x46534B4559L;

  private static final int BATCH = 500;
  private static final Logger log = LoggerFactory.getLogger(EncryptContextsAtStart.class);

  record Done(int encrypted, int reencrypted, boolean rotated) {}

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final ContextKeys keys;
  private final SecretsKeyCheck check;

  EncryptContextsAtStart(JdbcTemplate jdbc, TransactionTemplate tx, ContextKeys keys, Clock clock) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.keys = keys;
    this.check = new SecretsKeyCheck(jdbc, keys, clock);
  }

  /**
   * @throws IllegalStateException when the key is not the one the contexts were encrypted with
   */
  Done run() {
    Done done = tx.execute(status -> runLocked());
    if (done.encrypted() > 0 || done.reencrypted() > 0 || done.rotated()) {
      log.info(
          "deployment contexts: {} encrypted from plain text, {} re-encrypted from the previous key"
              + " to key {}{}",
          done.encrypted(),
          done.reencrypted(),
          keys.current().id(),
          done.rotated() ? "; the previous key is no longer needed" : "");
    }
    return done;
  }

  private Done runLocked() {
    jdbc.query("SELECT pg_advisory_xact_lock(?)", rs -> {}, LOCK);
    boolean rotating = check.verify();
    int encrypted = 0;
    int reencrypted = 0;
    String current = ContextKey.VERSION + keys.current().id() + ":%";
    List<Object[]> batch;
    do {
      batch = new ArrayList<>();
      for (Row row :
          jdbc.query(
              """
              SELECT deployment_id, version, context FROM deployment_versions
              WHERE context NOT LIKE ?
              ORDER BY deployment_id, version LIMIT ?
              """,
              (rs, n) -> new Row(rs.getLong(1), rs.getInt(2), rs.getString(3)),
              current,
              BATCH)) {
        String boundTo = Contexts.boundTo(row.deploymentId(), row.version());
        String keyId = ContextKey.keyIdOf(row.context());
        String plain;
        if (keyId == null) {
          plain = row.context();
          encrypted++;
        } else {
          ContextKey key = keys.withId(keyId);
          if (key == null) {
            throw new IllegalStateException(
                "the context of deployment "
                    + row.deploymentId()
                    + " version "
                    + row.version()
                    + " is encrypted with key "
                    + keyId
                    + ", neither faaspot.secrets-key ("
                    + keys.current().id()
                    + ") nor faaspot.secrets-previous-key; see README, Secrets");
          }
          plain = key.open(row.context(), boundTo);
          reencrypted++;
        }
        batch.add(
            new Object[] {keys.current().seal(plain, boundTo), row.deploymentId(), row.version()});
      }
      if (!batch.isEmpty()) {
        jdbc.batchUpdate(
            "UPDATE deployment_versions SET context = ? WHERE deployment_id = ? AND version = ?",
            batch);
      }
    } while (batch.size() == BATCH);
    if (rotating) {
      check.rotated();
    }
    return new Done(encrypted, reencrypted, rotating);
  }

  private record Row(long deploymentId, int version, String context) {}
}
