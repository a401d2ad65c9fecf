package io.faaspot.api.deployment;

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
  private String context;

  @Column(name = "requirements_hash")
  private String requirementsHash;

  @Column(name = "timeout_seconds")
  private int timeoutSeconds;

  @Column(name = "created_at")
  private Instant createdAt;

  protected DeploymentVersion() {}

  DeploymentVersion(
      long deploymentId, int version, FunctionSource source, int timeoutSeconds, Instant now) {
    this.deploymentId = deploymentId;
    this.version = version;
    this.code = source.code();
    this.requirements = source.requirements();
    this.context = source.context();
    this.requirementsHash = Requirements.hash(source.requirements());
    this.timeoutSeconds = timeoutSeconds;
    this.createdAt = now;
  }

  FunctionSource source() {
    return new FunctionSource(code, requirements, context);
  }

  int version() {
    return version;
  }

  int timeoutSeconds() {
    return timeoutSeconds;
  }
}
