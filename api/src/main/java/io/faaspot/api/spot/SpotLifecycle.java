package io.faaspot.api.spot;

import io.faaspot.api.account.AccountRepository;
import io.faaspot.api.account.Secrets;
import io.faaspot.api.config.SpotsProperties;
import io.faaspot.api.cost.PriceTable;
import io.faaspot.scheduler.execution.ExecutionKind;
import io.faaspot.scheduler.execution.ExecutionQueue;
import io.faaspot.scheduler.execution.ExecutionStatus;
import io.faaspot.scheduler.spot.SpotProvider;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The database side of a spot's life, one transaction per step, for the reconciler (which makes the
 * provider calls around them): launched, failed to launch, lost, drained.
 */
@Component
class SpotLifecycle {
  private final SpotRepository spots;
  private final AgentCredentials credentials;
  private final AccountRepository accounts;
  private final ExecutionQueue queue;
  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final SpotsProperties props;
  private final PriceTable prices;
  private final Clock clock;

  SpotLifecycle(
      SpotRepository spots,
      AgentCredentials credentials,
      AccountRepository accounts,
      ExecutionQueue queue,
      JdbcClient jdbc,
      JsonMapper json,
      SpotsProperties props,
      PriceTable prices,
      Clock clock) {
    this.prices = prices;
    this.spots = spots;
    this.credentials = credentials;
    this.accounts = accounts;
    this.queue = queue;
    this.jdbc = jdbc;
    this.json = json;
    this.props = props;
    this.clock = clock;
  }

  /** The provider started the VM with this one-time secret: its agent may now register. */
  @Transactional
  void launched(UUID spotId, String secret, SpotProvider.Launched l) {
    Spot spot = spots.findById(spotId).orElseThrow();
    spot.launched(
        l.instanceId(),
        l.ip(),
        Secrets.digest(secret),
        clock.instant().plus(props.registrationTtl()));
    spot.placed(
        l.instanceType(),
        l.availabilityZone(),
        prices.spotPrice(spot.provider(), l.hourlyPrice()),
        prices.onDemand(l.instanceType()).orElse(null),
        clock.instant());
  }

  /** The account's budget holds the spot back; answers whether it was not held before. */
  @Transactional
  boolean held(UUID spotId, String reason) {
    return spots.findById(spotId).map(s -> s.held(reason)).orElse(false);
  }

  /** Nothing launched, or the agent never registered: the add fails with the reason. */
  @Transactional
  void launchFailed(UUID spotId, String reason) {
    Spot spot = spots.findById(spotId).orElseThrow();
    if (!spot.state().live()) {
      return;
    }
    spot.terminate(clock.instant());
    accounts.lockById(spot.accountId()).ifPresent(a -> a.spotRemoved());
    finishTasks(spotId, ExecutionKind.CREATE_SPOT, ExecutionStatus.Failure, reason);
  }

  /**
   * A ready spot stopped heartbeating or its VM is gone: its calls go back to the queue at once,
   * and a replacement is asked for. Returns the replacement's id.
   */
  @Transactional
  UUID lost(UUID spotId, String reason) {
    Spot spot = spots.findById(spotId).orElseThrow();
    Instant now = clock.instant();
    spot.terminate(now);
    credentials.revokeAll(spotId, now);
    spots.saveAndFlush(spot);
    int requeued = queue.releaseSpot(spotId, "its spot was lost (" + reason + ")").size();
    org.slf4j.LoggerFactory.getLogger(SpotLifecycle.class)
        .info("spot {} lost ({}): {} call(s) back in the queue", spotId, reason, requeued);
    Spot replacement =
        spots.save(new Spot(spot.accountId(), spot.provider(), spot.availabilityZone(), now));
    return replacement.id();
  }

  /**
   * A spot whose agent outlived an earlier run of the server, taken on again: it counts as heard
   * from now, and the calls it runs keep their leases until {@code until}, so that it has time to
   * reconnect and report them instead of their running twice. Returns how many calls it holds.
   */
  @Transactional
  int adopted(UUID spotId, Instant until) {
    jdbc.sql(
            "UPDATE spots SET last_heartbeat_at = :now WHERE id = :spot"
                + " AND state IN ('Ready', 'Draining')")
        .param("now", java.sql.Timestamp.from(clock.instant()))
        .param("spot", spotId)
        .update();
    return jdbc.sql(
            "UPDATE executions SET lease_expires_at = greatest(lease_expires_at, :until)"
                + " WHERE status = 'Started' AND lease_owner = :spot")
        .param("until", java.sql.Timestamp.from(until))
        .param("spot", spotId)
        .update();
  }

  /** A draining spot finished its calls (or ran out of time): it is gone now. */
  @Transactional
  int drained(UUID spotId) {
    Spot spot = spots.findById(spotId).orElseThrow();
    Instant now = clock.instant();
    spot.terminate(now);
    credentials.revokeAll(spotId, now);
    spots.saveAndFlush(spot);
    int requeued = queue.releaseSpot(spotId, "its spot was removed").size();
    String label = spot.ip() == null ? spot.id().toString() : spot.ip();
    finishTasks(
        spotId,
        ExecutionKind.REMOVE_SPOT,
        ExecutionStatus.Success,
        "Spot "
            + label
            + " removed"
            + (requeued > 0
                ? "; " + requeued + " unfinished call(s) went back to the queue."
                : "."));
    return requeued;
  }

  /** The same account's next spot, for a replacement launched before the old one stops. */
  @Transactional
  UUID requestReplacement(Spot old) {
    return spots
        .save(new Spot(old.accountId(), old.provider(), old.availabilityZone(), clock.instant()))
        .id();
  }

  @Transactional
  void readdressed(UUID spotId, String ip) {
    spots.findById(spotId).ifPresent(s -> s.readdressed(ip));
  }

  /**
   * The spot's agent got an interruption notice (or a rebalance recommendation): it takes no new
   * work, and its replacement is asked for at once. Returns the replacement's id, or null when the
   * spot was no longer in service.
   */
  @Transactional
  UUID interrupted(UUID spotId) {
    Spot spot = spots.findById(spotId).orElseThrow();
    if (spot.state() != SpotState.Ready) {
      return null;
    }
    spot.drain(clock.instant());
    return spots
        .save(new Spot(spot.accountId(), spot.provider(), spot.availabilityZone(), clock.instant()))
        .id();
  }

  @Transactional
  void startDraining(UUID spotId) {
    spots.findById(spotId).ifPresent(s -> s.drain(clock.instant()));
  }

  int runningCalls(UUID spotId) {
    return jdbc.sql(
            "SELECT count(*) FROM executions WHERE lease_owner = :spot AND status = 'Started'")
        .param("spot", spotId)
        .query(Integer.class)
        .single();
  }

  void finishTasks(UUID spotId, String kind, ExecutionStatus status, String message) {
    jdbc.sql(
            "SELECT id FROM executions WHERE spot_id = :spot AND kind = :kind AND status = 'Pending'")
        .param("spot", spotId)
        .param("kind", kind)
        .query(UUID.class)
        .list()
        .forEach(id -> queue.finishTask(id, status, json.writeValueAsString(message)));
  }
}
