package io.faaspot.api.spot;

import io.faaspot.api.account.Account;
import io.faaspot.api.account.AccountRepository;
import io.faaspot.api.config.SpotsProperties;
import io.faaspot.api.web.ApiException;
import io.faaspot.scheduler.execution.ExecutionId;
import io.faaspot.scheduler.execution.ExecutionKind;
import io.faaspot.scheduler.execution.ExecutionQueue;
import io.faaspot.scheduler.execution.ExecutionStatus;
import io.faaspot.scheduler.execution.NewExecution;
import io.faaspot.scheduler.spot.SpotProvider;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Changes to an account's pool, each recorded as a task execution that the reconciler or the spot's
 * agent completes: {@code add} asks for a spot (done when its agent registers), {@code remove}
 * drains it, {@code replace} and {@code refresh_ip} are carried out with the provider.
 */
@Component
class ManageSpots {
  private final SpotRepository spots;
  private final AgentCredentials credentials;
  private final AccountRepository accounts;
  private final ExecutionQueue queue;
  private final SpotTasks tasks;
  private final JsonMapper json;
  private final SpotsProperties props;
  private final SpotProvider provider;
  private final Clock clock;

  ManageSpots(
      SpotRepository spots,
      AgentCredentials credentials,
      AccountRepository accounts,
      ExecutionQueue queue,
      SpotTasks tasks,
      JsonMapper json,
      SpotsProperties props,
      SpotProvider provider,
      Clock clock) {
    this.spots = spots;
    this.credentials = credentials;
    this.accounts = accounts;
    this.queue = queue;
    this.tasks = tasks;
    this.json = json;
    this.props = props;
    this.provider = provider;
    this.clock = clock;
  }

  @Transactional
  UUID add(long accountId, String availabilityZone) {
    Account account = lockAccount(accountId);
    if (account.autoscale()) {
      // With autoscaling on, an add moves the pool within the account's limits: max_spots.
      int max = account.scaling(props.maxPerAccount()).maxSpots();
      if (inService(accountId) >= max) {
        throw new ApiException(
            org.springframework.http.HttpStatus.TOO_MANY_REQUESTS,
            "spot_limit",
            "this account runs max_spots = "
                + max
                + " spot(s); raise max_spots first"
                + " (PATCH /api/account/scaling)",
            null);
      }
    }
    account.spotAdded(props.maxPerAccount());
    accounts.update(account);
    Spot spot =
        spots.insert(new Spot(accountId, props.provider(), availabilityZone, clock.instant()));
    return queue.enqueue(
        NewExecution.task(accountId, ExecutionKind.CREATE_SPOT, null, null, spot.id()));
  }

  /**
   * Removes the spot with that IP, or when {@code ip} is null the newest one still in service. A
   * spot with a working agent drains: it takes no new work, and the reconciler stops it once its
   * running calls finish (or after {@code faaspot.spots.drain-timeout}), which finishes the task. A
   * spot whose agent never registered is stopped at once.
   */
  @Transactional
  UUID remove(long accountId, String ip) {
    Account account = lockAccount(accountId);
    Spot spot;
    if (ip == null) {
      List<Spot> inService =
          spots.live(accountId).stream().filter(s -> s.state() != SpotState.Draining).toList();
      if (inService.isEmpty()) {
        throw ApiException.notFound("this account has no spot to remove");
      }
      spot = inService.getLast();
    } else {
      spot = byIp(accountId, ip);
    }
    if (spot.state() == SpotState.Draining) {
      throw ApiException.conflict("spot " + ip + " is already being removed");
    }
    account.checkRemoval(inService(accountId));
    Instant now = clock.instant();
    account.spotRemoved();
    accounts.update(account);
    tasks.cancelOpen(spot.id());
    UUID task =
        queue.enqueue(
            NewExecution.task(accountId, ExecutionKind.REMOVE_SPOT, null, null, spot.id()));
    if (spot.state() == SpotState.Ready) {
      spot.drain(now);
      spots.update(spot);
      return task;
    }
    spot.terminate(now);
    spots.update(spot);
    credentials.revokeAll(spot.id(), now);
    if (spot.instanceId() != null && spot.provider().equals(provider.name())) {
      provider.terminate(spot.instanceId());
    }
    String label = spot.ip() == null ? spot.id().toString() : spot.ip();
    queue.finishTask(
        task,
        ExecutionStatus.Success,
        json.writeValueAsString("Spot " + label + " removed before it started."));
    return task;
  }

  /** {@code target} is a spot's IP or {@code all}. */
  @Transactional
  UUID refreshIp(long accountId, String target) {
    UUID spotId = null;
    if ("all".equalsIgnoreCase(target)) {
      if (spots.live(accountId).isEmpty()) {
        throw ApiException.notFound("this account has no spots");
      }
    } else {
      spotId = byIp(accountId, target).id();
    }
    NewExecution task =
        new NewExecution(
            ExecutionId.next(),
            accountId,
            ExecutionKind.REFRESH_IP,
            null,
            null,
            null,
            spotId,
            json.writeValueAsString(Map.of("refresh_ip", target)),
            1);
    return queue.enqueue(task);
  }

  @Transactional
  UUID replace(long accountId, String ip) {
    Spot spot = byIp(accountId, ip);
    return queue.enqueue(
        NewExecution.task(accountId, ExecutionKind.REPLACE_SPOT, null, null, spot.id()));
  }

  @Transactional
  WorkerSettings changeWorkers(long accountId, Integer min, Integer max) {
    Account account = lockAccount(accountId);
    account.changeWorkers(min, max);
    accounts.update(account);
    return new WorkerSettings(account.minWorkers(), account.maxWorkers(), account.desiredSpots());
  }

  Spot byIp(long accountId, String ip) {
    return spots
        .liveByIp(accountId, ip)
        .orElseThrow(() -> ApiException.notFound("no spot with IP " + ip));
  }

  private int inService(long accountId) {
    return (int)
        spots.live(accountId).stream().filter(s -> s.state() != SpotState.Draining).count();
  }

  private Account lockAccount(long accountId) {
    return accounts.lockById(accountId).orElseThrow();
  }
}
