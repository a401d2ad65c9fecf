package io.faaspot.api.deployment;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Deployments' versions: written once, never changed. */
@Repository
class DeploymentVersionRepository {
  private final JdbcClient jdbc;

  DeploymentVersionRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<DeploymentVersion> find(long deploymentId, int version) {
    return jdbc.sql("select * from deployment_versions where deployment_id = ? and version = ?")
        .params(deploymentId, version)
        .query(DeploymentVersion::read)
        .optional();
  }

  void insert(DeploymentVersion v) {
    jdbc.sql(
            "insert into deployment_versions (deployment_id, version, code, requirements,"
                + " context, requirements_hash, timeout_seconds, created_at) values"
                + " (:deployment_id, :version, :code, :requirements, :context,"
                + " :requirements_hash, :timeout_seconds, :created_at)")
        .params(v.columns())
        .update();
  }
}
