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
  private final SpotTasks tasks;
  private final SpotsProperties props;
  private final PriceTable prices;
  private final Clock clock;

  SpotLifecycle(
      SpotRepository spots,
      AgentCredentials credentials,
      AccountRepository accounts,
      ExecutionQueue queue,
      JdbcClient jdbc,
      SpotTasks tasks,
      SpotsProperties props,
      PriceTable prices,
      Clock clock) {
    this.prices = prices;
    this.spots = spots;
    this.credentials = credentials;
    this.accounts = accounts;
    this.queue = queue;
    this.jdbc = jdbc;
    this.tasks = tasks;
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
    spots.update(spot);
  }

  /** The account's budget holds the spot back; answers whether it was not held before. */
  @Transactional
  boolean held(UUID spotId, String reason) {
    Spot spot = spots.findById(spotId).orElse(null);
    if (spot == null) {
      return false;
    }
    boolean first = spot.held(reason);
    spots.update(spot);
    return first;
  }

  /** Nothing launched, or the agent never registered: the add fails with the reason. */
  @Transactional
  void launchFailed(UUID spotId, String reason) {
    Spot spot = spots.findById(spotId).orElseThrow();
    if (!spot.state().live()) {
      return;
    }
    spot.terminate(clock.instant());
    spots.update(spot);
    accounts
        .lockById(spot.accountId())
        .ifPresent(
            a -> {
              a.spotRemoved();
              accounts.update(a);
            });
    tasks.finish(spotId, ExecutionKind.CREATE_SPOT, ExecutionStatus.Failure, reason);
  }

  /**
   * A ready spot stopped heartbeating or its VM is gone: its calls go back to the queue at once,
   * and a replacement is asked for. Returns the replacement's id.
   */
  @Transactional
  UUID lost(UUID spotId, String reason) {
    Spot spot = spots.findById(spotId).orElseThrow();
    int requeued = retire(spot, "its spot was lost (" + reason + ")");
    org.slf4j.LoggerFactory.getLogger(SpotLifecycle.class)
        .info("spot {} lost ({}): {} call(s) back in the queue", spotId, reason, requeued);
    return successor(spot);
  }

  /** A draining spot finished its calls (or ran out of time): it is gone now. */
  @Transactional
  int drained(UUID spotId) {
    Spot spot = spots.findById(spotId).orElseThrow();
    int requeued = retire(spot, "its spot was removed");
    String label = spot.ip() == null ? spot.id().toString() : spot.ip();
    tasks.finish(
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
    return successor(old);
  }

  @Transactional
  void readdressed(UUID spotId, String ip) {
    spots
        .findById(spotId)
        .ifPresent(
            s -> {
              s.readdressed(ip);
              spots.update(s);
            });
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
    spots.update(spot);
    return successor(spot);
  }

  @Transactional
  void startDraining(UUID spotId) {
    spots
        .findById(spotId)
        .ifPresent(
            s -> {
              s.drain(clock.instant());
              spots.update(s);
            });
  }

  /**
   * The spot is gone: terminated and stored, its agent's credentials revoked, then its calls back
   * in the queue. Returns how many went back.
   */
  private int retire(Spot spot, String why) {
    Instant now = clock.instant();
    spot.terminate(now);
    credentials.revokeAll(spot.id(), now);
    spots.update(spot);
    return queue.releaseSpot(spot.id(), why).size();
  }

  /** A new spot of the same account, provider and zone, asked for now. */
  private UUID successor(Spot spot) {
    return spots
        .insert(
            new Spot(spot.accountId(), spot.provider(), spot.availabilityZone(), clock.instant()))
        .id();
  }
}
