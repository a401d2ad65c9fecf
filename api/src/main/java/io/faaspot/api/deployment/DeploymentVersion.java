package io.faaspot.api.deployment;

import io.faaspot.api.secrets.Contexts;
import io.faaspot.api.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One version of a deployment's content: immutable once written. */
class DeploymentVersion {
  private Long deploymentId;
  private Integer version;
  private String code;
  private String requirements;

  /** Sealed: see {@link Contexts}. */
  private String context;

  private String requirementsHash;
  private int timeoutSeconds;
  private Instant createdAt;

  private DeploymentVersion() {}

  DeploymentVersion(
      long deploymentId,
      int version,
      FunctionSource source,
      Contexts contexts,
      int timeoutSeconds,
      Instant now) {
    this.deploymentId = deploymentId;
    this.version = version;
    this.code = source.code();
    this.requirements = source.requirements();
    this.context = contexts.seal(deploymentId, version, source.context());
    this.requirementsHash = Requirements.hash(source.requirements());
    this.timeoutSeconds = timeoutSeconds;
    this.createdAt = now;
  }

  FunctionSource source(Contexts contexts) {
    return new FunctionSource(code, requirements, contexts.open(deploymentId, version, context));
  }

  String requirements() {
    return requirements;
  }

  int version() {
    return version;
  }

  int timeoutSeconds() {
    return timeoutSeconds;
  }

  /** The row's columns by name, for {@link DeploymentVersionRepository}'s insert. */
  Map<String, Object> columns() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("deployment_id", deploymentId);
    c.put("version", version);
    c.put("code", code);
    c.put("requirements", requirements);
    c.put("context", context);
    c.put("requirements_hash", requirementsHash);
    c.put("timeout_seconds", timeoutSeconds);
    c.put("created_at", Sql.utc(createdAt));
    return c;
  }

  /** A version read back from its row ({@code select *}). */
  static DeploymentVersion read(ResultSet rs, int rowNum) throws SQLException {
    DeploymentVersion v = new DeploymentVersion();
    v.deploymentId = rs.getLong("deployment_id");
    v.version = rs.getInt("version");
    v.code = rs.getString("code");
    v.requirements = rs.getString("requirements");
    v.context = rs.getString("context");
    v.requirementsHash = rs.getString("requirements_hash");
    v.timeoutSeconds = rs.getInt("timeout_seconds");
    v.createdAt = Sql.instant(rs, "created_at");
    return v;
  }
}
