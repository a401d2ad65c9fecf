package io.faaspot.api.deployment;

import io.faaspot.api.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A named function of one account; its content lives in numbered {@link DeploymentVersion}s. */
class Deployment {
  private Long id;
  private long accountId;
  private String name;
  private int currentVersion;
  private Instant createdAt;
  private Instant updatedAt;
  private long version;

  private Deployment() {}

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

  /** A deployment read back from its row ({@code select *}). */
  static Deployment read(ResultSet rs, int rowNum) throws SQLException {
    Deployment d = new Deployment();
    d.id = rs.getLong("id");
    d.accountId = rs.getLong("account_id");
    d.name = rs.getString("name");
    d.currentVersion = rs.getInt("current_version");
    d.createdAt = Sql.instant(rs, "created_at");
    d.updatedAt = Sql.instant(rs, "updated_at");
    d.version = rs.getLong("version");
    return d;
  }

  /** The row's columns by name, for {@link DeploymentRepository}'s insert and update. */
  Map<String, Object> columns() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("id", id);
    c.put("account_id", accountId);
    c.put("name", name);
    c.put("current_version", currentVersion);
    c.put("created_at", Sql.utc(createdAt));
    c.put("updated_at", Sql.utc(updatedAt));
    c.put("version", version);
    return c;
  }

  /** The repository stored it: the id the database gave a new deployment. */
  void inserted(long newId) {
    id = newId;
  }

  /** The repository wrote the change: the row's version moved on with it. */
  void rowUpdated() {
    version++;
  }
}
