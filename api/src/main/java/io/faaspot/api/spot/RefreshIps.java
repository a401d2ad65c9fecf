package io.faaspot.api.spot;

import io.faaspot.scheduler.execution.ExecutionKind;
import io.faaspot.scheduler.execution.ExecutionStatus;
import io.faaspot.scheduler.spot.SpotProvider;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The reconciler carries out refresh_ip tasks: a new public address for one spot, or for each of
 * the account's spots ("all"), from the provider.
 */
@Component
class RefreshIps {
  private final SpotRepository spots;
  private final SpotLifecycle lifecycle;
  private final SpotProvider provider;
  private final PendingTasks tasks;

  RefreshIps(
      SpotRepository spots, SpotLifecycle lifecycle, SpotProvider provider, PendingTasks tasks) {
    this.spots = spots;
    this.lifecycle = lifecycle;
    this.provider = provider;
    this.tasks = tasks;
  }

  void run() {
    for (PendingTask task : tasks.of(ExecutionKind.REFRESH_IP)) {
      refresh(task);
    }
  }

  private void refresh(PendingTask task) {
    List<Spot> targets =
        task.spotId() != null
            ? spots.findById(task.spotId()).filter(s -> s.state().live()).stream().toList()
            : spots.live(task.accountId());
    List<String> changes = new ArrayList<>();
    try {
      for (Spot spot : targets) {
        if (spot.instanceId() == null || !spot.provider().equals(provider.name())) {
          continue;
        }
        var fresh = provider.refreshIp(spot.instanceId());
        if (fresh.isPresent()) {
          lifecycle.readdressed(spot.id(), fresh.get());
          changes.add(spot.ip() + " -> " + fresh.get());
        }
      }
    } catch (SpotProvider.LaunchFailed e) {
      tasks.finish(task, ExecutionStatus.Failure, e.getMessage());
      return;
    }
    String message =
        changes.isEmpty()
            ? provider.name()
                + " spots keep their addresses (a local spot's is its loopback identity): nothing to refresh."
            : "New addresses: " + String.join(", ", changes);
    tasks.finish(task, ExecutionStatus.Success, message);
  }
}
