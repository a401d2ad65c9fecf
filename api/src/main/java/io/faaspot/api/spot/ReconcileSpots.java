package io.faaspot.api.spot;

import io.faaspot.scheduler.leader.PostgresLeaderLock;
import org.springframework.stereotype.Component;

/**
 * Keeps every account's pool as it should be, one tick at a time ({@link #reconcileOnce()}), on the
 * leader only: launches requested spots, fails launches whose agent never registers, replaces ready
 * spots that went silent or whose VM is gone (their calls go back to the queue), stops drained
 * spots, carries out replace and refresh_ip, and finishes deployment builds that no spot can take.
 * Each pass is a class of its own; this one holds their order.
 */
@Component
public class ReconcileSpots {
  /** The passes, in the order a tick runs them. */
  @Component
  record Passes(
      ScaleAccounts autoscale,
      LaunchRequested launch,
      WatchLaunching launching,
      ReplaceLostSpots lost,
      FinishDraining draining,
      RefreshIps refreshIps,
      ReplaceSpots replace,
      SettleDeploymentBuilds builds,
      SweepOrphans orphans) {}

  private final PostgresLeaderLock leader;
  private final Passes passes;

  ReconcileSpots(PostgresLeaderLock leader, Passes passes) {
    this.leader = leader;
    this.passes = passes;
  }

  /** One pass; does nothing on a node that is not the leader. */
  public void reconcileOnce() {
    if (!leader.isLeader()) {
      return;
    }
    passes.autoscale().run();
    passes.launch().run();
    passes.launching().run();
    passes.lost().run();
    passes.draining().run();
    passes.refreshIps().run();
    passes.replace().run();
    passes.builds().run();
    passes.orphans().run();
  }
}
