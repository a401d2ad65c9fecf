package io.faaspot.api.deployment;

import io.faaspot.api.secrets.Contexts;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** One version of a deployment's content: immutable once written. */
@Entity
@Table(name = "deployment_versions")
@IdClass(DeploymentVersion.Key.class)
class DeploymentVersion {
  record Key(Long deploymentId, Integer version) implements Serializable {
    Key() {
      this(null, null);
    }
  }

  @Id
  @Column(name = "deployment_id")
  private Long deploymentId;

  @Id private Integer version;

  private String code;
  private String requirements;

  /** Sealed: see {@link Contexts}. */
  private String context;

  @Column(name = "requirements_hash")
  private String requirementsHash;

  @Column(name = "timeout_seconds")
  private int timeoutSeconds;

  @Column(name = "created_at")
  private Instant createdAt;

  protected DeploymentVersion() {}

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
}
