package io.faaspot.api.spot;

import io.faaspot.api.config.FaaspotProperties;
import io.faaspot.api.config.SpotsProperties;
import io.faaspot.scheduler.spot.SpotProvider;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The reconciler's pass over launching spots: one whose agent stopped, or did not register within
 * faaspot.spots.registration-ttl, fails its add with the reason and whatever the provider can tell
 * of why (the agent's last output), or the likeliest cause: spots elsewhere told to reach this
 * server at its loopback address, as faaspot.public-url is not set.
 */
@Component
class WatchLaunching {
  private static final Logger log = LoggerFactory.getLogger(WatchLaunching.class);

  private final SpotRepository spots;
  private final SpotLifecycle lifecycle;
  private final SpotProvider provider;
  private final SpotsProperties props;
  private final FaaspotProperties faaspot;
  private final Environment environment;
  private final Clock clock;

  WatchLaunching(
      SpotRepository spots,
      SpotLifecycle lifecycle,
      SpotProvider provider,
      SpotsProperties props,
      FaaspotProperties faaspot,
      Environment environment,
      Clock clock) {
    this.spots = spots;
    this.lifecycle = lifecycle;
    this.provider = provider;
    this.props = props;
    this.faaspot = faaspot;
    this.environment = environment;
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
                    + " s"
                    + loopbackHint();
        String detail = provider.diagnostics(spot.id(), spot.instanceId()).orElse("");
        log.warn("spot {} failed to start: {}", spot.id(), why);
        if (spot.instanceId() != null) {
          provider.terminate(spot.instanceId());
        }
        lifecycle.launchFailed(spot.id(), why + (detail.isEmpty() ? "" : "\n" + detail));
      }
    }
  }

  /** Spots on other machines cannot reach a loopback address: say so, and what to set. */
  private String loopbackHint() {
    if (faaspot.publicUrl() != null || provider.name().equals("local")) {
      return "";
    }
    return ": it was told to reach this server at "
        + AgentServerUrl.of(faaspot, environment)
        + ", as faaspot.public-url (FAASPOT_PUBLIC_URL) is not set; set it to an address the"
        + " spots can reach";
  }
}
