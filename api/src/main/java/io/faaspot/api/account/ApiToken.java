package io.faaspot.api.account;

import io.faaspot.api.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** An API token, kept only as the SHA-256 digest of the secret the user holds. */
class ApiToken {
  private Long id;
  private long accountId;
  private byte[] tokenHash;
  private String label;
  private Instant createdAt;
  private Instant revokedAt;

  private ApiToken() {}

  ApiToken(long accountId, byte[] tokenHash, String label, Instant now) {
    this.accountId = accountId;
    this.tokenHash = tokenHash.clone();
    this.label = label;
    this.createdAt = now;
  }

  boolean active() {
    return revokedAt == null;
  }

  Long id() {
    return id;
  }

  long accountId() {
    return accountId;
  }

  byte[] tokenHash() {
    return tokenHash.clone();
  }

  String label() {
    return label;
  }

  Instant createdAt() {
    return createdAt;
  }

  Instant revokedAt() {
    return revokedAt;
  }

  /** A token read back from its row ({@code select *}). */
  static ApiToken read(ResultSet rs, int rowNum) throws SQLException {
    ApiToken t = new ApiToken();
    t.id = rs.getLong("id");
    t.accountId = rs.getLong("account_id");
    t.tokenHash = rs.getBytes("token_hash");
    t.label = rs.getString("label");
    t.createdAt = Sql.instant(rs, "created_at");
    t.revokedAt = Sql.instant(rs, "revoked_at");
    return t;
  }

  /** The repository stored it: the id the database gave it. */
  void inserted(long newId) {
    id = newId;
  }
}
