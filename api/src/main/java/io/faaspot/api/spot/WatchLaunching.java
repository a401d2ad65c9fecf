package io.faaspot.api.spot;

import io.faaspot.api.config.SpotsProperties;
import io.faaspot.scheduler.spot.SpotProvider;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The reconciler's pass over launching spots: one whose agent stopped, or did not register within
 * faaspot.spots.registration-ttl, fails its add with the reason and whatever the provider can tell
 * of why (the agent's last output).
 */
@Component
class WatchLaunching {
  private static final Logger log = LoggerFactory.getLogger(WatchLaunching.class);

  private final SpotRepository spots;
  private final SpotLifecycle lifecycle;
  private final SpotProvider provider;
  private final SpotsProperties props;
  private final Clock clock;

  WatchLaunching(
      SpotRepository spots,
      SpotLifecycle lifecycle,
      SpotProvider provider,
      SpotsProperties props,
      Clock clock) {
    this.spots = spots;
    this.lifecycle = lifecycle;
    this.provider = provider;
    this.props = props;
    this.clock = clock;
  }

  void run() {
    if (!provider.launches()) {
      return;
    }
    Instant now = clock.instant();
    for (Spot spot : spots.inState(SpotState.Launching, provider.name())) {
      boolean dead = spot.instanceId() != null && !provider.isAlive(spot.instanceId());
      if (dead || spot.registrationExpired(now)) {
        String why =
            dead
                ? "the spot's agent stopped before it registered"
                : "the spot's agent did not register within "
                    + props.registrationTtl().toSeconds()
                    + " s";
        String detail = provider.diagnostics(spot.id(), spot.instanceId()).orElse("");
        log.warn("spot {} failed to start: {}", spot.id(), why);
        if (spot.instanceId() != null) {
          provider.terminate(spot.instanceId());
        }
        lifecycle.launchFailed(spot.id(), why + (detail.isEmpty() ? "" : "\n" + detail));
      }
    }
  }
}
