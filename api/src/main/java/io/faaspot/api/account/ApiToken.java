package io.faaspot.api.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An API token, kept only as the SHA-256 digest of the secret the user holds. */
@Entity
@Table(name = "api_tokens")
class ApiToken {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "account_id")
  private long accountId;

  @Column(name = "token_hash")
  private byte[] tokenHash;

  private String label;

  @Column(name = "created_at")
  private Instant createdAt;

  @Column(name = "revoked_at")
  private Instant revokedAt;

  protected ApiToken() {}

  ApiToken(long accountId, byte[] tokenHash, String label, Instant now) {
    this.accountId = accountId;
    this.tokenHash = tokenHash.clone();
    this.label = label;
    this.createdAt = now;
  }

  /** Revoking twice keeps the first time. */
  void revoke(Instant now) {
    if (revokedAt == null) {
      revokedAt = now;
    }
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
}
