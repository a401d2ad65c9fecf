package io.faaspot.api.spot;

import io.faaspot.scheduler.execution.ExecutionKind;
import io.faaspot.scheduler.execution.ExecutionStatus;
import org.springframework.stereotype.Component;

/**
 * A deployment's build task waits for a spot to build its environment; with none ready in its
 * account the reconciler finishes it now (the environment is built on first use).
 */
@Component
class SettleDeploymentBuilds {
  private final SpotRepository spots;
  private final PendingTasks tasks;

  SettleDeploymentBuilds(SpotRepository spots, PendingTasks tasks) {
    this.spots = spots;
    this.tasks = tasks;
  }

  void run() {
    for (PendingTask task : tasks.of(ExecutionKind.CREATE_DEPLOYMENT)) {
      if (!spots.hasReadySpot(task.accountId())) {
        tasks.finish(
            task,
            ExecutionStatus.Success,
            "Deployment stored. No spot is running, so its environment is built on first use.");
      }
    }
  }
}
