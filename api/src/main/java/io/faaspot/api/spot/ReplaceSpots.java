package io.faaspot.api.spot;

import io.faaspot.scheduler.execution.ExecutionKind;
import io.faaspot.scheduler.execution.ExecutionStatus;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The reconciler carries out replace tasks over several ticks: the new spot is asked for first (its
 * id kept in the task's args); once it is ready, the old one drains and stops.
 */
@Component
class ReplaceSpots {
  private final SpotRepository spots;
  private final SpotLifecycle lifecycle;
  private final PendingTasks tasks;
  private final JdbcClient jdbc;

  ReplaceSpots(SpotRepository spots, SpotLifecycle lifecycle, PendingTasks tasks, JdbcClient jdbc) {
    this.spots = spots;
    this.lifecycle = lifecycle;
    this.tasks = tasks;
    this.jdbc = jdbc;
  }

  void run() {
    for (PendingTask task : tasks.of(ExecutionKind.REPLACE_SPOT)) {
      replace(task);
    }
  }

  private void replace(PendingTask task) {
    Spot old = task.spotId() == null ? null : spots.findById(task.spotId()).orElse(null);
    if (old == null || !old.state().live()) {
      tasks.finish(task, ExecutionStatus.Failure, "The spot to replace is gone.");
      return;
    }
    JsonNode newId = task.args().get("new_spot");
    if (newId == null) {
      UUID replacement = lifecycle.requestReplacement(old);
      jdbc.sql(
              "UPDATE executions SET args = args || jsonb_build_object('new_spot', :n::text) WHERE id = :id")
          .param("n", replacement.toString())
          .param("id", task.id())
          .update();
      return;
    }
    Spot fresh = spots.findById(UUID.fromString(newId.asString())).orElse(null);
    if (fresh == null || fresh.state() == SpotState.Terminated) {
      tasks.finish(task, ExecutionStatus.Failure, "The replacement spot could not be started.");
    } else if (fresh.state() == SpotState.Ready) {
      lifecycle.startDraining(old.id());
      tasks.finish(
          task,
          ExecutionStatus.Success,
          "Spot " + old.ip() + " replaced by " + fresh.ip() + "; the old one drains and stops.");
    }
  }
}
