package io.faaspot.api.secrets;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The key check of V7: a known text sealed with the key the contexts are encrypted with, so that a
 * server started with another key refuses to start rather than fail on every call (or seal new
 * contexts with a key the others cannot open). Run by {@link EncryptContextsAtStart}, in its
 * transaction and under its lock.
 */
final class SecretsKeyCheck {
  static final String CHECK_MARKER = "faaspot secrets key check";
  static final String CHECK_BOUND_TO = "secrets_key_check";

  private final JdbcTemplate jdbc;
  private final ContextKeys keys;
  private final Clock clock;

  SecretsKeyCheck(JdbcTemplate jdbc, ContextKeys keys, Clock clock) {
    this.jdbc = jdbc;
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * Writes the key check at the first start with a key; later, checks the key against it.
   *
   * @return whether the check was written with the previous key, so a rotation is under way
   * @throws IllegalStateException when neither key opens the check
   */
  boolean verify() {
    List<String> check =
        jdbc.queryForList("SELECT check_value FROM secrets_key_check WHERE id = 1", String.class);
    if (check.isEmpty()) {
      jdbc.update(
          "INSERT INTO secrets_key_check (id, check_value, updated_at) VALUES (1, ?, ?)",
          keys.current().seal(CHECK_MARKER, CHECK_BOUND_TO),
          Timestamp.from(clock.instant()));
      return false;
    }
    String checkKeyId = ContextKey.keyIdOf(check.getFirst());
    ContextKey key = keys.withId(checkKeyId);
    if (key == null || !opens(key, check.getFirst())) {
      throw new IllegalStateException(
          keys.currentSource()
              + " does not match the key the contexts were encrypted with (key "
              + checkKeyId
              + " in the database; this one is "
              + keys.current().id()
              + (keys.previous() == null
                  ? ""
                  : ", and faaspot.secrets-previous-key is " + keys.previous().id())
              + "); see README, Secrets");
    }
    return key != keys.current();
  }

  /** After a rotation: the check sealed with the current key, the previous one no longer needed. */
  void rotated() {
    jdbc.update(
        "UPDATE secrets_key_check SET check_value = ?, updated_at = ? WHERE id = 1",
        keys.current().seal(CHECK_MARKER, CHECK_BOUND_TO),
        Timestamp.from(clock.instant()));
  }

  private static boolean opens(ContextKey key, String check) {
    try {
      return CHECK_MARKER.equals(key.open(check, CHECK_BOUND_TO));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
