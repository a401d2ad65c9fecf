package io.faaspot.api.spot;

import io.faaspot.scheduler.spot.SpotProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The reconciler's last pass: instances the provider runs for this cluster that no live spot
 * accounts for (say, launched just before the server died, or left behind by a replaced spot) are
 * terminated. It asks the provider rather than the database, so it is apart from the passes that
 * walk the spots' rows.
 */
@Component
class SweepOrphans {
  private static final Logger log = LoggerFactory.getLogger(SweepOrphans.class);

  private final SpotRepository spots;
  private final SpotProvider provider;

  SweepOrphans(SpotRepository spots, SpotProvider provider) {
    this.spots = spots;
    this.provider = provider;
  }

  void run() {
    for (SpotProvider.Instance i : provider.instances()) {
      if (!(i.state().equals("pending") || i.state().equals("running"))) {
        continue;
      }
      Spot spot = i.spotId() == null ? null : spots.findById(i.spotId()).orElse(null);
      boolean known =
          spot != null && spot.state().live() && i.instanceId().equals(spot.instanceId());
      boolean launching = spot != null && spot.state() == SpotState.Requested;
      if (!known && !launching) {
        log.warn("terminating instance {} that no live spot accounts for", i.instanceId());
        // As for a lost spot: nothing of it is to be kept, and a frozen one must not hold this
        // loop.
        provider.terminateLost(i.instanceId());
      }
    }
  }
}
