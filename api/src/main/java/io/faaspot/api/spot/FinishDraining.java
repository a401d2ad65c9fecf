package io.faaspot.api.spot;

import io.faaspot.api.config.SpotsProperties;
import io.faaspot.scheduler.spot.SpotProvider;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The reconciler's pass over draining spots: once one runs no call (or faaspot.spots.drain-timeout
 * has passed) its instance is terminated first, then its row, and what it still held is requeued.
 */
@Component
class FinishDraining {
  private static final Logger log = LoggerFactory.getLogger(FinishDraining.class);

  private final SpotRepository spots;
  private final SpotLifecycle lifecycle;
  private final SpotProvider provider;
  private final SpotsProperties props;
  private final JdbcClient jdbc;
  private final Clock clock;

  FinishDraining(
      SpotRepository spots,
      SpotLifecycle lifecycle,
      SpotProvider provider,
      SpotsProperties props,
      JdbcClient jdbc,
      Clock clock) {
    this.spots = spots;
    this.lifecycle = lifecycle;
    this.provider = provider;
    this.props = props;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  void run() {
    Instant now = clock.instant();
    for (Spot spot : spots.inState(SpotState.Draining)) {
      if (runningCalls(spot.id()) == 0 || spot.drainOverdue(now, props.drainTimeout())) {
        if (spot.instanceId() != null && spot.provider().equals(provider.name())) {
          provider.terminate(spot.instanceId());
        }
        int requeued = lifecycle.drained(spot.id());
        log.info(
            "spot {} ({}) stopped after draining; {} call(s) requeued",
            spot.id(),
            spot.ip(),
            requeued);
      }
    }
  }

  private int runningCalls(UUID spotId) {
    return jdbc.sql(
            "SELECT count(*) FROM executions WHERE lease_owner = :spot AND status = 'Started'")
        .param("spot", spotId)
        .query(Integer.class)
        .single();
  }
}
