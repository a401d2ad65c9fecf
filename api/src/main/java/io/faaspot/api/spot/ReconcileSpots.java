package io.faaspot.api.spot;

import io.faaspot.api.account.Secrets;
import io.faaspot.api.config.FaaspotProperties;
import io.faaspot.api.config.SpotsProperties;
import io.faaspot.scheduler.execution.ExecutionKind;
import io.faaspot.scheduler.execution.ExecutionQueue;
import io.faaspot.scheduler.execution.ExecutionStatus;
import io.faaspot.scheduler.leader.PostgresLeaderLock;
import io.faaspot.scheduler.spot.SpotProvider;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps every account's pool as it should be, one tick at a time ({@link #reconcileOnce()}), on the
 * leader only: launches requested spots, fails launches whose agent never registers, replaces ready
 * spots that went silent or whose VM is gone (their calls go back to the queue), stops drained
 * spots, carries out replace and refresh_ip, and finishes deployment builds that no spot can take.
 */
@Component
public class ReconcileSpots {
  private static final Logger log = LoggerFactory.getLogger(ReconcileSpots.class);

  /** Collaborators that only pass through to the steps. */
  @Component
  record Parts(
      SpotRepository spots,
      SpotLifecycle lifecycle,
      SpotProvider provider,
      PostgresLeaderLock leader,
      ExecutionQueue queue,
      JdbcClient jdbc,
      JsonMapper json,
      Autoscale autoscale,
      LaunchBudget budget) {}

  private final Parts p;
  private final SpotsProperties props;
  private final FaaspotProperties faaspot;
  private final Environment environment;
  private final Clock clock;

  ReconcileSpots(
      Parts parts,
      SpotsProperties props,
      FaaspotProperties faaspot,
      Environment environment,
      Clock clock) {
    this.p = parts;
    this.props = props;
    this.faaspot = faaspot;
    this.environment = environment;
    this.clock = clock;
  }

  /** One pass; does nothing on a node that is not the leader. */
  public void reconcileOnce() {
    if (!p.leader().isLeader()) {
      return;
    }
    autoscale();
    launchRequested();
    watchLaunching();
    watchReady();
    finishDraining();
    carryOutSpotTasks();
    settleDeploymentBuilds();
    terminateOrphans();
  }

  /**
   * Instances the provider runs for this cluster that no live spot accounts for (say, launched just
   * before the server died, or left behind by a replaced spot) are terminated.
   */
  private void terminateOrphans() {
    for (SpotProvider.Instance i : p.provider().instances()) {
      if (!(i.state().equals("pending") || i.state().equals("running"))) {
        continue;
      }
      Spot spot = i.spotId() == null ? null : p.spots().findById(i.spotId()).orElse(null);
      boolean known =
          spot != null && spot.state().live() && i.instanceId().equals(spot.instanceId());
      boolean launching = spot != null && spot.state() == SpotState.Requested;
      if (!known && !launching) {
        log.warn("terminating instance {} that no live spot accounts for", i.instanceId());
        // As for a lost spot: nothing of it is to be kept, and a frozen one must not hold this
        // loop.
        p.provider().terminateLost(i.instanceId());
      }
    }
  }

  /** Accounts with autoscaling get the spots their queues need (only where spots are launched). */
  private void autoscale() {
    if (!p.provider().launches()) {
      return;
    }
    for (Autoscale.Demand demand : p.autoscale().demands()) {
      try {
        p.autoscale().scale(demand);
      } catch (RuntimeException e) {
        // One account's trouble (say, a concurrent change) must not stop the others' scaling.
        log.warn("autoscale of account {} failed: {}", demand.accountId(), e.toString());
      }
    }
  }

  private void launchRequested() {
    if (!p.provider().launches()) {
      return;
    }
    for (Spot spot :
        p.spots()
            .findByStateAndProviderOrderByCreatedAtAsc(SpotState.Requested, p.provider().name())) {
      if (!p.budget().allows(spot)) {
        continue;
      }
      String secret = Secrets.generate("fsr_");
      Set<String> used = usedIps();
      try {
        SpotProvider.Launched launched =
            p.provider()
                .launch(
                    new SpotProvider.LaunchRequest(
                        spot.id(),
                        spot.accountId(),
                        secret,
                        serverUrl(),
                        spot.availabilityZone(),
                        used));
        p.lifecycle().launched(spot.id(), secret, launched);
      } catch (SpotProvider.LaunchFailed e) {
        log.warn("spot {} could not be launched: {}", spot.id(), e.getMessage());
        p.lifecycle().launchFailed(spot.id(), "No spot could be launched: " + e.getMessage());
      }
    }
    p.budget().countHeld();
  }

  private void watchLaunching() {
    if (!p.provider().launches()) {
      return;
    }
    Instant now = clock.instant();
    for (Spot spot :
        p.spots()
            .findByStateAndProviderOrderByCreatedAtAsc(SpotState.Launching, p.provider().name())) {
      boolean dead = spot.instanceId() != null && !p.provider().isAlive(spot.instanceId());
      if (dead || spot.registrationExpired(now)) {
        String why =
            dead
                ? "the spot's agent stopped before it registered"
                : "the spot's agent did not register within "
                    + props.registrationTtl().toSeconds()
                    + " s";
        String detail = diagnostics(spot);
        log.warn("spot {} failed to start: {}", spot.id(), why);
        if (spot.instanceId() != null) {
          p.provider().terminate(spot.instanceId());
        }
        p.lifecycle().launchFailed(spot.id(), why + (detail.isEmpty() ? "" : "\n" + detail));
      }
    }
  }

  private void watchReady() {
    Instant now = clock.instant();
    for (Spot spot : p.spots().findByStateOrderByCreatedAtAsc(SpotState.Ready)) {
      boolean silent =
          spot.lastHeartbeatAt() != null
              && spot.lastHeartbeatAt().plus(props.heartbeatTimeout()).isBefore(now);
      boolean gone =
          spot.provider().equals(p.provider().name())
              && p.provider().launches()
              && spot.instanceId() != null
              && !p.provider().isAlive(spot.instanceId());
      if (silent || gone) {
        String reason =
            gone
                ? "its VM or process is gone"
                : "no heartbeat for " + props.heartbeatTimeout().toSeconds() + " s";
        UUID replacement = p.lifecycle().lost(spot.id(), reason);
        log.warn(
            "spot {} ({}) lost: {}; replacement {} requested",
            spot.id(),
            spot.ip(),
            reason,
            replacement);
        if (spot.instanceId() != null && spot.provider().equals(p.provider().name())) {
          p.provider().terminateLost(spot.instanceId());
        }
      }
    }
  }

  private void finishDraining() {
    Instant now = clock.instant();
    for (Spot spot : p.spots().findByStateOrderByCreatedAtAsc(SpotState.Draining)) {
      if (p.lifecycle().runningCalls(spot.id()) == 0
          || spot.drainOverdue(now, props.drainTimeout())) {
        if (spot.instanceId() != null && spot.provider().equals(p.provider().name())) {
          p.provider().terminate(spot.instanceId());
        }
        int requeued = p.lifecycle().drained(spot.id());
        log.info(
            "spot {} ({}) stopped after draining; {} call(s) requeued",
            spot.id(),
            spot.ip(),
            requeued);
      }
    }
  }

  private void carryOutSpotTasks() {
    for (Task task : pendingTasks(ExecutionKind.REFRESH_IP)) {
      refreshIp(task);
    }
    for (Task task : pendingTasks(ExecutionKind.REPLACE_SPOT)) {
      replace(task);
    }
  }

  /** A new public address for one spot, or for each of the account's spots ("all"). */
  private void refreshIp(Task task) {
    List<Spot> targets =
        task.spotId() != null
            ? p.spots().findById(task.spotId()).filter(s -> s.state().live()).stream().toList()
            : p.spots().live(task.accountId());
    List<String> changes = new java.util.ArrayList<>();
    try {
      for (Spot spot : targets) {
        if (spot.instanceId() == null || !spot.provider().equals(p.provider().name())) {
          continue;
        }
        var fresh = p.provider().refreshIp(spot.instanceId());
        if (fresh.isPresent()) {
          p.lifecycle().readdressed(spot.id(), fresh.get());
          changes.add(spot.ip() + " -> " + fresh.get());
        }
      }
    } catch (SpotProvider.LaunchFailed e) {
      p.queue()
          .finishTask(
              task.id(), ExecutionStatus.Failure, p.json().writeValueAsString(e.getMessage()));
      return;
    }
    String message =
        changes.isEmpty()
            ? p.provider().name()
                + " spots keep their addresses (a local spot's is its loopback identity): nothing to refresh."
            : "New addresses: " + String.join(", ", changes);
    p.queue().finishTask(task.id(), ExecutionStatus.Success, p.json().writeValueAsString(message));
  }

  /** Launches the new spot first; once it is ready, the old one drains and stops. */
  private void replace(Task task) {
    Spot old = task.spotId() == null ? null : p.spots().findById(task.spotId()).orElse(null);
    if (old == null || !old.state().live()) {
      p.queue()
          .finishTask(
              task.id(),
              ExecutionStatus.Failure,
              p.json().writeValueAsString("The spot to replace is gone."));
      return;
    }
    JsonNode newId = task.args().get("new_spot");
    if (newId == null) {
      UUID replacement = p.lifecycle().requestReplacement(old);
      p.jdbc()
          .sql(
              "UPDATE executions SET args = args || jsonb_build_object('new_spot', :n::text) WHERE id = :id")
          .param("n", replacement.toString())
          .param("id", task.id())
          .update();
      return;
    }
    Spot fresh = p.spots().findById(UUID.fromString(newId.asString())).orElse(null);
    if (fresh == null || fresh.state() == SpotState.Terminated) {
      p.queue()
          .finishTask(
              task.id(),
              ExecutionStatus.Failure,
              p.json().writeValueAsString("The replacement spot could not be started."));
    } else if (fresh.state() == SpotState.Ready) {
      p.lifecycle().startDraining(old.id());
      p.queue()
          .finishTask(
              task.id(),
              ExecutionStatus.Success,
              p.json()
                  .writeValueAsString(
                      "Spot "
                          + old.ip()
                          + " replaced by "
                          + fresh.ip()
                          + "; the old one drains and stops."));
    }
  }

  /** A build waits for a spot; with none ready it is done now (built on first use). */
  private void settleDeploymentBuilds() {
    for (Task task : pendingTasks(ExecutionKind.CREATE_DEPLOYMENT)) {
      if (!p.spots().hasReadySpot(task.accountId())) {
        p.queue()
            .finishTask(
                task.id(),
                ExecutionStatus.Success,
                p.json()
                    .writeValueAsString(
                        "Deployment stored. No spot is running, so its environment is built on first use."));
      }
    }
  }

  record Task(UUID id, long accountId, UUID spotId, JsonNode args) {}

  private List<Task> pendingTasks(String kind) {
    return p.jdbc()
        .sql(
            "SELECT id, account_id, spot_id, args::text AS args FROM executions"
                + " WHERE kind = :kind AND status = 'Pending' ORDER BY created_at LIMIT 500")
        .param("kind", kind)
        .query(
            (rs, i) ->
                new Task(
                    rs.getObject("id", UUID.class),
                    rs.getLong("account_id"),
                    rs.getObject("spot_id", UUID.class),
                    p.json().readTree(rs.getString("args"))))
        .list();
  }

  private Set<String> usedIps() {
    return new HashSet<>(
        p.jdbc()
            .sql("SELECT ip FROM spots WHERE state <> 'Terminated' AND ip IS NOT NULL")
            .query(String.class)
            .list());
  }

  private String diagnostics(Spot spot) {
    return p.provider().diagnostics(spot.id(), spot.instanceId()).orElse("");
  }

  /** Agents reach the server at faaspot.public-url, or on loopback at its own port. */
  private String serverUrl() {
    return serverUrl(faaspot, environment);
  }

  /** The address spots' agents are given to reach this server. */
  static String serverUrl(FaaspotProperties faaspot, Environment environment) {
    if (faaspot.publicUrl() != null) {
      return faaspot.publicUrl();
    }
    String port =
        environment.getProperty(
            "local.server.port", environment.getProperty("server.port", "8080"));
    String scheme =
        environment.getProperty("server.ssl.enabled", "false").equals("true") ? "https" : "http";
    return scheme + "://127.0.0.1:" + port;
  }
}
