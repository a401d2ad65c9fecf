package io.faaspot.api.spot;

import io.faaspot.api.config.Ec2Properties;
import io.faaspot.api.config.FaaspotProperties;
import io.faaspot.api.config.SpotsProperties;
import io.faaspot.scheduler.leader.PostgresLeaderLock;
import io.faaspot.scheduler.loop.PeriodicJob;
import io.faaspot.scheduler.spot.Ec2Settings;
import io.faaspot.scheduler.spot.Ec2SpotProvider;
import io.faaspot.scheduler.spot.LocalSpotProvider;
import io.faaspot.scheduler.spot.ManualSpotProvider;
import io.faaspot.scheduler.spot.SpotProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/** Picks the spot provider named by {@code faaspot.spots.provider} and runs the reconciler. */
@Configuration(proxyBeanMethods = false)
class SpotProviderConfig {
  /** The advisory lock key of the spot reconciler's leader ("FASPOT" in ASCII). */
  static final long LEADER_KEY = 0x464153504f54L;

  @Bean(destroyMethod = "close")
  SpotProvider spotProvider(
      SpotsProperties spots, FaaspotProperties faaspot, Ec2Properties ec2, Clock clock)
      throws Exception {
    return switch (spots.provider()) {
      case "local" ->
          new LocalSpotProvider(
              faaspot.dataDir().toAbsolutePath().resolve("spots"),
              agentJar(spots),
              spots.local().java() != null ? spots.local().java() : currentJava(),
              agentJavaOptions(spots.local(), agentJar(spots)),
              localAgentEnvironment(spots.local()),
              spots.local().firstUid());
      case "manual" -> new ManualSpotProvider();
      case "ec2" ->
          new Ec2SpotProvider(
              new Ec2Settings(
                  ec2.cluster(),
                  ec2.region(),
                  ec2.endpoint(),
                  ec2.imageId(),
                  ec2.instanceTypes(),
                  ec2.subnetIds(),
                  ec2.securityGroupIds(),
                  ec2.keyName(),
                  ec2.instanceProfile(),
                  ec2.functionsMetadataAccess()),
              null,
              clock);
      default ->
          throw new IllegalStateException(
              "faaspot.spots.provider must be local, manual or ec2, not '"
                  + spots.provider()
                  + "'");
    };
  }

  private static Map<String, String> localAgentEnvironment(SpotsProperties.Local local) {
    Map<String, String> env = new java.util.HashMap<>(local.agentEnvironment());
    env.put("FAASPOT_IMDS_URL", local.imdsUrl() == null ? "off" : local.imdsUrl());
    env.put("FAASPOT_AGENT_STREAM", local.agentStream() ? "on" : "off");
    env.put("FAASPOT_SANDBOX", local.sandbox());
    return env;
  }

  @Bean(destroyMethod = "close")
  PostgresLeaderLock spotLeaderLock(DataSource dataSource) {
    return new PostgresLeaderLock(dataSource, LEADER_KEY);
  }

  // Local agents left by an earlier run are taken over before this loop looks at their spots.
  @DependsOn("takeOverLocalSpots")
  @Bean(destroyMethod = "close")
  PeriodicJob spotReconciler(ReconcileSpots reconcile, SpotsProperties spots) {
    return new PeriodicJob("spot-reconciler", spots.reconcileInterval(), reconcile::reconcileOnce);
  }

  static Path agentJar(SpotsProperties spots) {
    if (spots.local().agentJar() != null) {
      return spots.local().agentJar().toAbsolutePath();
    }
    // From a clone (the README's command runs in its root; Maven's tests in api/), else beside
    // the server jar in a release directory.
    List<Path> candidates =
        List.of(
            Path.of("spot-agent/target/faaspot-agent.jar"),
            Path.of("../spot-agent/target/faaspot-agent.jar"),
            Path.of("faaspot-agent.jar"));
    return candidates.stream()
        .filter(Files::isRegularFile)
        .findFirst()
        .orElse(candidates.getFirst())
        .toAbsolutePath()
        .normalize();
  }

  /**
   * The agents' JVM options as set; else the agent's ahead-of-time cache, {@code faaspot-agent.aot}
   * beside its jar, if there is one and the agents run on this JDK (a cache is made by one JDK for
   * one jar; a JDK before 25 would not even start with the option).
   */
  static List<String> agentJavaOptions(SpotsProperties.Local local, Path agentJar) {
    if (local.agentJavaOptions() != null) {
      return local.agentJavaOptions();
    }
    String name = agentJar.getFileName().toString();
    Path cache = agentJar.resolveSibling(name.replaceFirst("\\.jar$", "") + ".aot");
    boolean ownJava = local.java() == null;
    if (ownJava && Runtime.version().feature() >= 25 && Files.isReadable(cache)) {
      return List.of("-XX:AOTCache=" + cache);
    }
    return List.of();
  }

  private static String currentJava() {
    return ProcessHandle.current().info().command().orElse("java");
  }
}
