package io.faaspot.api.spot;

import io.faaspot.api.config.FaaspotProperties;
import io.faaspot.api.config.SpotsProperties;
import io.faaspot.scheduler.spot.LocalSpotProvider;
import io.faaspot.scheduler.spot.SpotProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * On start, takes over the local agents an earlier run of this server left running (it crashed or
 * was killed; agents are not tied to the server's life so that they can be taken over). An agent of
 * a live spot that was given this server's address is adopted: it reconnects with its saved
 * credential, its running calls keep their leases, and it counts as heard from until it has had a
 * heartbeat timeout to do so. Any other is stopped, and its spot's calls go back to the queue at
 * once. Runs before the lease reaper and the reconciler are made (they depend on this bean) and,
 * once the server is ready, before they start, so that neither takes the adopted spots' calls away
 * first.
 */
@Component
class TakeOverLocalSpots {
  private static final Logger log = LoggerFactory.getLogger(TakeOverLocalSpots.class);

  /** The agent's longest pause between two attempts to reach the server (its backoff's cap). */
  private static final Duration AGENT_RETRY = Duration.ofSeconds(10);

  private final SpotRepository spots;
  private final SpotLifecycle lifecycle;
  private final AdoptSpots adoption;
  private final SpotsProperties props;
  private final Clock clock;
  private final List<Spot> adopted = new ArrayList<>();

  TakeOverLocalSpots(
      SpotProvider provider,
      SpotRepository spots,
      SpotLifecycle lifecycle,
      AdoptSpots adoption,
      SpotsProperties props,
      FaaspotProperties faaspot,
      Environment environment,
      Clock clock) {
    this.spots = spots;
    this.lifecycle = lifecycle;
    this.adoption = adoption;
    this.props = props;
    this.clock = clock;
    if (provider instanceof LocalSpotProvider local) {
      takeOver(local, AgentServerUrl.of(faaspot, environment));
    }
  }

  private void takeOver(LocalSpotProvider local, String serverUrl) {
    List<LocalSpotProvider.Leftover> leftovers = local.leftovers();
    if (leftovers.isEmpty()) {
      return;
    }
    log.info("found {} local agent(s) left running by an earlier run", leftovers.size());
    for (LocalSpotProvider.Leftover l : leftovers) {
      Optional<Spot> spot = spots.findById(l.spotId());
      boolean ours =
          spot.isPresent()
              && spot.get().state().live()
              && l.instanceId().equals(spot.get().instanceId());
      if (ours && serverUrl.equals(l.serverUrl())) {
        local.adopt(l.instanceId());
        int calls = adoption.adopt(l.spotId(), clock.instant().plus(grace()));
        adopted.add(spot.get());
        log.info(
            "adopted the agent of spot {} ({}, process {}): it reconnects with its saved"
                + " credential; its {} running call(s) keep their leases",
            l.spotId(),
            spot.get().ip(),
            l.instanceId(),
            calls);
        continue;
      }
      local.stopLeftover(l.instanceId());
      String why =
          !ours
              ? "its spot is gone or has another agent"
              : "it was given another address (" + l.serverUrl() + ", now " + serverUrl + ")";
      if (ours) {
        if (spot.get().state() == SpotState.Draining) {
          lifecycle.drained(l.spotId());
        } else {
          lifecycle.lost(l.spotId(), "its agent of an earlier run was stopped: " + why);
        }
      }
      log.info("stopped the agent of spot {} (process {}): {}", l.spotId(), l.instanceId(), why);
    }
  }

  /**
   * How long the adopted agents' calls keep their leases: long enough for an agent to notice the
   * server is back, reconnect and heartbeat (which renews them). The spot itself counts as heard
   * from at the takeover and again when the server is ready, so it has a heartbeat timeout from
   * there (20 s by default, above the agent's retry cap).
   */
  private Duration grace() {
    return props.heartbeatTimeout().plus(AGENT_RETRY);
  }

  /**
   * The server is up only now: the adopted agents get the whole grace from here to reconnect,
   * however long the start took.
   */
  @EventListener(ApplicationReadyEvent.class)
  @Order(Ordered.HIGHEST_PRECEDENCE)
  void serverReady() {
    for (Spot spot : adopted) {
      adoption.adopt(spot.id(), clock.instant().plus(grace()));
    }
    adopted.clear();
  }
}
