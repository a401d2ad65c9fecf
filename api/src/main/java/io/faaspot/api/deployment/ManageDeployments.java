package io.faaspot.api.deployment;

import io.faaspot.api.secrets.Contexts;
import io.faaspot.api.web.ApiException;
import io.faaspot.scheduler.execution.ExecutionKind;
import io.faaspot.scheduler.execution.ExecutionStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, changes and deletes deployments, each with the management task execution the old client
 * waits on. Each method is one transaction: a refused request changes nothing.
 *
 * <p>A new version's environment is built by one of the account's spots (a {@code
 * tasks.create_deployment} execution an agent claims), or on first use when none runs; {@link
 * ManagementTasks} makes those tasks.
 */
@Component
class ManageDeployments {
  private final DeploymentRepository deployments;
  private final DeploymentVersionRepository versions;
  private final ManagementTasks tasks;
  private final JdbcClient jdbc;
  private final Contexts contexts;
  private final Clock clock;

  ManageDeployments(
      DeploymentRepository deployments,
      DeploymentVersionRepository versions,
      ManagementTasks tasks,
      JdbcClient jdbc,
      Contexts contexts,
      Clock clock) {
    this.deployments = deployments;
    this.versions = versions;
    this.tasks = tasks;
    this.jdbc = jdbc;
    this.contexts = contexts;
    this.clock = clock;
  }

  /** Returns the id of the create task. */
  @Transactional
  UUID create(long accountId, String name, FunctionSource source, int timeoutSeconds) {
    if (deployments.existsByAccountIdAndName(accountId, name)) {
      throw ApiException.conflict("a deployment named '" + name + "' already exists");
    }
    Instant now = clock.instant();
    Deployment d = deployments.insert(new Deployment(accountId, name, now));
    versions.insert(new DeploymentVersion(d.id(), 1, source, contexts, timeoutSeconds, now));
    return tasks.build(accountId, d, "Deployment '" + name + "' created (version 1).");
  }

  /**
   * Applies a change: a rename, new content (a new version), or both. Returns the id of the task.
   */
  @Transactional
  UUID update(
      long accountId,
      String name,
      String newName,
      String code,
      String requirements,
      String context,
      Integer timeoutSeconds) {
    Deployment d = find(accountId, name);
    Instant now = clock.instant();
    StringBuilder what = new StringBuilder();
    if (newName != null && !newName.equals(d.name())) {
      if (deployments.existsByAccountIdAndName(accountId, newName)) {
        throw ApiException.conflict("a deployment named '" + newName + "' already exists");
      }
      what.append("renamed from '").append(d.name()).append("' to '").append(newName).append("'; ");
      d.rename(newName, now);
    }
    if (code != null || requirements != null || context != null || timeoutSeconds != null) {
      DeploymentVersion current = current(d);
      FunctionSource source = source(current).with(code, requirements, context);
      int timeout = timeoutSeconds == null ? current.timeoutSeconds() : timeoutSeconds;
      int version = d.nextVersion(now);
      versions.insert(new DeploymentVersion(d.id(), version, source, contexts, timeout, now));
      what.append("version ").append(version).append(" stored; ");
    }
    deployments.update(d);
    String summary = what.isEmpty() ? "nothing to change" : what.substring(0, what.length() - 2);
    return tasks.build(accountId, d, "Deployment '" + d.name() + "' updated: " + summary + ".");
  }

  /** Deletes the deployment and cancels its unfinished calls. Returns the id of the task. */
  @Transactional
  UUID delete(long accountId, String name) {
    Deployment d = find(accountId, name);
    int cancelled =
        jdbc.sql(
                """
                UPDATE executions SET status = 'Cancelled', finished_at = :now,
                       output = to_jsonb('Cancelled: the deployment was deleted'::text),
                       version = version + 1
                WHERE account_id = :account AND deployment_id = :deployment
                  AND status = ANY(:from::text[])
                """)
            .param("now", clock.instant().atOffset(java.time.ZoneOffset.UTC))
            .param("account", accountId)
            .param("deployment", d.id())
            .param("from", ExecutionStatus.sourcesOf(ExecutionStatus.Cancelled))
            .update();
    UUID task =
        tasks.finished(
            accountId,
            ExecutionKind.DELETE_DEPLOYMENT,
            d,
            "Deployment '"
                + name
                + "' deleted"
                + (cancelled > 0 ? "; " + cancelled + " unfinished call(s) cancelled." : "."));
    deployments.delete(d);
    return task;
  }

  Deployment find(long accountId, String name) {
    return deployments
        .findByAccountIdAndName(accountId, name)
        .orElseThrow(() -> ApiException.notFound("no deployment named '" + name + "'"));
  }

  /** The version's content, its context decrypted. */
  FunctionSource source(DeploymentVersion v) {
    return v.source(contexts);
  }

  DeploymentVersion current(Deployment d) {
    return versions
        .find(d.id(), d.currentVersion())
        .orElseThrow(() -> new IllegalStateException("deployment " + d.id() + " lost its version"));
  }
}
