package io.faaspot.api.spot;

import io.faaspot.api.account.Secrets;
import io.faaspot.api.config.FaaspotProperties;
import io.faaspot.scheduler.spot.SpotProvider;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The reconciler's launch pass (only where spots are launched): each requested spot the account's
 * budget allows is launched with a fresh one-time registration secret, or its add fails with the
 * provider's reason.
 */
@Component
class LaunchRequested {
  private static final Logger log = LoggerFactory.getLogger(LaunchRequested.class);

  private final SpotRepository spots;
  private final SpotLifecycle lifecycle;
  private final SpotProvider provider;
  private final LaunchBudget budget;
  private final JdbcClient jdbc;
  private final FaaspotProperties faaspot;
  private final Environment environment;

  LaunchRequested(
      SpotRepository spots,
      SpotLifecycle lifecycle,
      SpotProvider provider,
      LaunchBudget budget,
      JdbcClient jdbc,
      FaaspotProperties faaspot,
      Environment environment) {
    this.spots = spots;
    this.lifecycle = lifecycle;
    this.provider = provider;
    this.budget = budget;
    this.jdbc = jdbc;
    this.faaspot = faaspot;
    this.environment = environment;
  }

  void run() {
    if (!provider.launches()) {
      return;
    }
    for (Spot spot : spots.inState(SpotState.Requested, provider.name())) {
      if (!budget.allows(spot)) {
        continue;
      }
      String secret = Secrets.generate("fsr_");
      Set<String> used = usedIps();
      try {
        SpotProvider.Launched launched =
            provider.launch(
                new SpotProvider.LaunchRequest(
                    spot.id(),
                    spot.accountId(),
                    secret,
                    AgentServerUrl.of(faaspot, environment),
                    spot.availabilityZone(),
                    used));
        lifecycle.launched(spot.id(), secret, launched);
      } catch (SpotProvider.LaunchFailed e) {
        log.warn("spot {} could not be launched: {}", spot.id(), e.getMessage());
        lifecycle.launchFailed(spot.id(), "No spot could be launched: " + e.getMessage());
      }
    }
    budget.countHeld();
  }

  private Set<String> usedIps() {
    return new HashSet<>(
        jdbc.sql("SELECT ip FROM spots WHERE state <> 'Terminated' AND ip IS NOT NULL")
            .query(String.class)
            .list());
  }
}
