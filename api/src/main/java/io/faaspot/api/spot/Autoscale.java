package io.faaspot.api.spot;

import io.faaspot.api.account.Account;
import io.faaspot.api.account.AccountRepository;
import io.faaspot.api.account.Scaling;
import io.faaspot.api.config.AutoscaleProperties;
import io.faaspot.api.config.SpotsProperties;
import io.faaspot.scheduler.execution.ExecutionKind;
import io.faaspot.scheduler.execution.ExecutionStatus;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sizes the pools of the accounts that turned autoscaling on, one account at a time under its row
 * lock (as {@code spots add} and {@code remove} take it), on the leader only (it runs inside {@link
 * ReconcileSpots#reconcileOnce()}, from {@link ScaleAccounts}). Up: as many spots as {@link
 * SpotsNeeded} says, with {@code faaspot.autoscale.queue-age}; never more than {@code max_spots}.
 * Down: a ready spot with no work for {@code idle_minutes} drains (its running calls finish) and is
 * then stopped by the reconciler; never below {@code min_spots}. The budget is checked where spots
 * are launched, so it holds every launch.
 */
@Component
class Autoscale {
  private static final Logger log = LoggerFactory.getLogger(Autoscale.class);

  private final SpotRepository spots;
  private final SpotTasks tasks;
  private final AccountRepository accounts;
  private final JdbcClient jdbc;
  private final SpotsProperties spotProps;
  private final AutoscaleProperties props;
  private final Clock clock;

  Autoscale(
      SpotRepository spots,
      SpotTasks tasks,
      AccountRepository accounts,
      JdbcClient jdbc,
      SpotsProperties spotProps,
      AutoscaleProperties props,
      Clock clock) {
    this.spots = spots;
    this.tasks = tasks;
    this.accounts = accounts;
    this.jdbc = jdbc;
    this.spotProps = spotProps;
    this.props = props;
    this.clock = clock;
  }

  /** What one pass decided for an account, for logs and tests. */
  record Decision(int launched, int drained, int dropped) {
    static final Decision NONE = new Decision(0, 0, 0);
  }

  @Transactional
  Decision scale(AccountDemand d) {
    Account account = accounts.lockById(d.accountId()).orElse(null);
    if (account == null || !account.autoscale()) {
      return Decision.NONE;
    }
    Scaling limits = account.scaling(spotProps.maxPerAccount());
    Instant now = clock.instant();
    List<Spot> inService =
        spots.live(d.accountId()).stream().filter(s -> s.state() != SpotState.Draining).toList();
    Map<UUID, Integer> running = runningBySpot(inService);
    for (Spot s : inService) {
      if (s.state() == SpotState.Ready && (d.pending() > 0 || running.containsKey(s.id()))) {
        s.busy(now);
        spots.update(s);
      }
    }
    int target = SpotsNeeded.of(d, account.maxWorkers(), limits, inService, now, props.queueAge());
    int launched = 0;
    for (int n = inService.size(); n < target; n++) {
      Spot spot = spots.insert(new Spot(d.accountId(), spotProps.provider(), null, now));
      account.spotAdded(Integer.MAX_VALUE);
      launched++;
      log.info(
          "autoscale: account {} gets spot {} ({} waiting, {} running, {} in service)",
          d.accountId(),
          spot.id(),
          d.pending(),
          d.running(),
          inService.size());
    }
    if (launched > 0) {
      accounts.update(account);
    }
    if (launched > 0 || d.pending() > 0) {
      return new Decision(launched, 0, 0);
    }
    return scaleDown(account, limits, inService, running, now);
  }

  /**
   * No call waits: spots asked for but not launched (held by the budget) are dropped, then ready
   * spots idle for longer than idle_minutes drain, oldest idle first, down to min_spots.
   */
  private Decision scaleDown(
      Account account,
      Scaling limits,
      List<Spot> inService,
      Map<UUID, Integer> running,
      Instant now) {
    int left = inService.size();
    int dropped = 0;
    for (Spot s : inService) {
      if (left > limits.minSpots() && s.state() == SpotState.Requested && s.heldReason() != null) {
        s.terminate(now);
        spots.update(s);
        account.spotRemoved();
        tasks.finish(
            s.id(),
            ExecutionKind.CREATE_SPOT,
            ExecutionStatus.Failure,
            "Not launched: the daily budget held it, and no call needs it any more.");
        left--;
        dropped++;
      }
    }
    Duration idle = idleLimit(limits.idleMinutes());
    List<Spot> idleReady =
        inService.stream()
            .filter(s -> s.state() == SpotState.Ready && !running.containsKey(s.id()))
            .filter(s -> s.idleSince() != null && !s.idleSince().plus(idle).isAfter(now))
            .sorted(Comparator.comparing(Spot::idleSince))
            .toList();
    int drained = 0;
    for (Spot s : idleReady) {
      if (left <= limits.minSpots()) {
        break;
      }
      s.drain(now);
      spots.update(s);
      account.spotRemoved();
      left--;
      drained++;
      log.info(
          "autoscale: spot {} ({}) idle since {}: draining (account {})",
          s.id(),
          s.ip(),
          s.idleSince(),
          account.id());
    }
    if (dropped + drained > 0) {
      accounts.update(account);
    }
    return new Decision(0, drained, dropped);
  }

  static Duration idleLimit(BigDecimal minutes) {
    return Duration.ofMillis(minutes.multiply(BigDecimal.valueOf(60_000)).longValue());
  }

  private Map<UUID, Integer> runningBySpot(List<Spot> inService) {
    Map<UUID, Integer> running = new HashMap<>();
    if (inService.isEmpty()) {
      return running;
    }
    jdbc.sql(
            "SELECT lease_owner, count(*) AS n FROM executions WHERE lease_owner = ANY(:ids::uuid[])"
                + " AND status = 'Started' GROUP BY lease_owner")
        .param("ids", inService.stream().map(s -> s.id().toString()).toArray(String[]::new))
        .query(
            rs -> {
              running.put(rs.getObject("lease_owner", UUID.class), rs.getInt("n"));
            });
    return running;
  }
}
