package io.faaspot.api.spot;

import io.faaspot.api.account.Scaling;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Autoscaling's upward rule, a pure decision apart from the transaction that acts on it: the calls
 * waiting and running, max_workers per spot, give the spots needed, and a call waiting longer than
 * {@code queueAge} (also since the newest spot became ready) adds one; always within the limits.
 */
final class SpotsNeeded {
  private SpotsNeeded() {}

  static int of(
      AccountDemand d,
      int maxWorkers,
      Scaling limits,
      List<Spot> inService,
      Instant now,
      Duration queueAge) {
    int needed = inService.size();
    if (d.pending() > 0) {
      int byWork = (d.pending() + d.running() + maxWorkers - 1) / Math.max(1, maxWorkers);
      needed = Math.max(needed, byWork);
      boolean starting =
          inService.stream()
              .anyMatch(s -> s.state() == SpotState.Requested || s.state() == SpotState.Launching);
      // The wait counts from when the newest spot became ready: a spot that just registered has
      // not had its chance to take the call yet.
      Instant since = d.oldestPending();
      for (Spot s : inService) {
        if (since != null && s.readyAt() != null && s.readyAt().isAfter(since)) {
          since = s.readyAt();
        }
      }
      boolean waitedLong = since != null && Duration.between(since, now).compareTo(queueAge) >= 0;
      if (waitedLong && !starting) {
        needed = Math.max(needed, inService.size() + 1);
      }
    }
    return Math.max(limits.minSpots(), Math.min(needed, limits.maxSpots()));
  }
}
