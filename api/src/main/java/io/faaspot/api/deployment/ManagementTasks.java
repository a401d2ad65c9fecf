package io.faaspot.api.deployment;

import io.faaspot.api.spot.SpotRepository;
import io.faaspot.scheduler.execution.ExecutionId;
import io.faaspot.scheduler.execution.ExecutionKind;
import io.faaspot.scheduler.execution.ExecutionQueue;
import io.faaspot.scheduler.execution.ExecutionStatus;
import io.faaspot.scheduler.execution.NewExecution;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The management task executions the old client waits on after a create, update or delete: queued
 * for an agent when the change needs an environment built, else stored already finished with a
 * message. Apart from {@link ManageDeployments}, which decides what changes, so that each reads on
 * its own; they run in its transactions.
 */
@Component
class ManagementTasks {
  private final ExecutionQueue queue;
  private final SpotRepository spots;
  private final JsonMapper json;

  ManagementTasks(ExecutionQueue queue, SpotRepository spots, JsonMapper json) {
    this.queue = queue;
    this.spots = spots;
    this.json = json;
  }

  /**
   * The create/update task: with a ready spot, an agent builds the environment and imports the
   * function (pip's or the import's failure is the task's output); with none, the version is stored
   * and the task is done (the environment is then built on first use), so {@code --wait} never
   * hangs.
   */
  UUID build(long accountId, Deployment d, String message) {
    if (!spots.hasReadySpot(accountId)) {
      return finished(
          accountId,
          ExecutionKind.CREATE_DEPLOYMENT,
          d,
          message + " No spot is running, so its environment is built on first use.");
    }
    return queue.enqueue(
        new NewExecution(
            ExecutionId.next(),
            accountId,
            ExecutionKind.CREATE_DEPLOYMENT,
            d.id(),
            d.name(),
            d.currentVersion(),
            null,
            "{}",
            queue.settings().maxAttempts()));
  }

  /** A task stored as succeeded, its output the message. */
  UUID finished(long accountId, String kind, Deployment d, String message) {
    NewExecution task =
        new NewExecution(
            ExecutionId.next(),
            accountId,
            kind,
            d.id(),
            d.name(),
            d.currentVersion(),
            null,
            "{}",
            1);
    UUID id = queue.enqueue(task);
    queue.finishTask(id, ExecutionStatus.Success, json.writeValueAsString(message));
    return id;
  }
}
