package io.faaspot.api.spot;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The database side of taking over a spot whose agent outlived an earlier run of the server (see
 * {@link TakeOverLocalSpots}); apart from {@link SpotLifecycle}, whose steps the reconciler drives.
 */
@Component
class AdoptSpots {
  private final JdbcClient jdbc;
  private final Clock clock;

  AdoptSpots(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * The spot counts as heard from now, and the calls it runs keep their leases until {@code until},
   * so that it has time to reconnect and report them instead of their running twice. Returns how
   * many calls it holds.
   */
  @Transactional
  int adopt(UUID spotId, Instant until) {
    jdbc.sql(
            "UPDATE spots SET last_heartbeat_at = :now WHERE id = :spot"
                + " AND state IN ('Ready', 'Draining')")
        .param("now", Timestamp.from(clock.instant()))
        .param("spot", spotId)
        .update();
    return jdbc.sql(
            "UPDATE executions SET lease_expires_at = greatest(lease_expires_at, :until)"
                + " WHERE status = 'Started' AND lease_owner = :spot")
        .param("until", Timestamp.from(until))
        .param("spot", spotId)
        .update();
  }
}
