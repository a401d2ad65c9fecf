package io.faaspot.api.spot;

import io.faaspot.api.config.SpotsProperties;
import io.faaspot.scheduler.spot.SpotProvider;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The reconciler's pass over ready spots: one that went silent (no heartbeat within
 * faaspot.spots.heartbeat-timeout) or whose VM or process is gone is lost; its calls go back to the
 * queue, a replacement is asked for, and what may be left of it is terminated.
 */
@Component
class ReplaceLostSpots {
  private static final Logger log = LoggerFactory.getLogger(ReplaceLostSpots.class);

  private final SpotRepository spots;
  private final SpotLifecycle lifecycle;
  private final SpotProvider provider;
  private final SpotsProperties props;
  private final Clock clock;

  ReplaceLostSpots(
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
    Instant now = clock.instant();
    for (Spot spot : spots.inState(SpotState.Ready)) {
      boolean silent =
          spot.lastHeartbeatAt() != null
              && spot.lastHeartbeatAt().plus(props.heartbeatTimeout()).isBefore(now);
      boolean ours = spot.provider().equals(provider.name());
      boolean gone =
          ours
              && provider.launches()
              && spot.instanceId() != null
              && !provider.isAlive(spot.instanceId());
      if (silent || gone) {
        String reason =
            gone
                ? "its VM or process is gone"
                : "no heartbeat for " + props.heartbeatTimeout().toSeconds() + " s";
        UUID replacement = lifecycle.lost(spot.id(), reason);
        log.warn(
            "spot {} ({}) lost: {}; replacement {} requested",
            spot.id(),
            spot.ip(),
            reason,
            replacement);
        if (spot.instanceId() != null && ours) {
          provider.terminateLost(spot.instanceId());
        }
      }
    }
  }
}
