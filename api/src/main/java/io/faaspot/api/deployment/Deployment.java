package io.faaspot.api.deployment;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A named function of one account; its content lives in numbered {@link DeploymentVersion}s. */
@Entity
@Table(name = "deployments")
class Deployment {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "account_id")
  private long accountId;

  private String name;

  @Column(name = "current_version")
  private int currentVersion;

  @Column(name = "created_at")
  private Instant createdAt;

  @Column(name = "updated_at")
  private Instant updatedAt;

  @Version private long version;

  protected Deployment() {}

  Deployment(long accountId, String name, Instant now) {
    this.accountId = accountId;
    this.name = name;
    this.currentVersion = 1;
    this.createdAt = now;
    this.updatedAt = now;
  }

  /** Moves to a new version number; the caller stores that version's content. */
  int nextVersion(Instant now) {
    currentVersion++;
    updatedAt = now;
    return currentVersion;
  }

  void rename(String newName, Instant now) {
    name = newName;
    updatedAt = now;
  }

  Long id() {
    return id;
  }

  long accountId() {
    return accountId;
  }

  String name() {
    return name;
  }

  int currentVersion() {
    return currentVersion;
  }

  Instant createdAt() {
    return createdAt;
  }

  Instant updatedAt() {
    return updatedAt;
  }
}
