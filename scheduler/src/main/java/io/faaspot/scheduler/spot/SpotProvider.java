package io.faaspot.scheduler.spot;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Where spots come from: the port the reconciler drives, with adapters for EC2 and for local agent
 * processes. A provider launches a VM (or process) that starts the agent with the given one-time
 * registration secret, says whether it still exists, and terminates it.
 */
public interface SpotProvider {
  /** The name in {@code faaspot.spots.provider} and in each spot's {@code provider} column. */
  String name();

  /** False for providers whose spots are started by hand (nothing to launch or watch). */
  default boolean launches() {
    return true;
  }

  /**
   * @param usedIps addresses of live spots, so a provider that assigns them picks a free one
   */
  record LaunchRequest(
      UUID spotId,
      long accountId,
      String registrationSecret,
      String serverUrl,
      String availabilityZone,
      Set<String> usedIps) {}

  /**
   * @param hourlyPrice the spot price per hour in USD at launch, when the provider knows it
   */
  record Launched(
      String instanceId,
      String ip,
      String instanceType,
      String availabilityZone,
      java.math.BigDecimal hourlyPrice) {}

  /** An instance the provider runs for this cluster, as found by its tags. */
  record Instance(String instanceId, UUID spotId, String state) {}

  /**
   * Nothing could be launched; the message says why (the cloud's own reason where there is one).
   */
  final class LaunchFailed extends Exception {
    public LaunchFailed(String message) {
      super(message);
    }

    public LaunchFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  Launched launch(LaunchRequest request) throws LaunchFailed;

  /** Whether the instance still exists as far as the provider knows. */
  boolean isAlive(String instanceId);

  /** Stops the instance; a no-op when it is already gone. */
  void terminate(String instanceId);

  /**
   * Stops the instance of a spot given up as lost (its calls are already back in the queue and its
   * credential revoked) without making the caller, the reconciler, wait on an instance that may be
   * frozen.
   */
  default void terminateLost(String instanceId) {
    terminate(instanceId);
  }

  /**
   * Gives the instance a new public address and answers it; empty when the provider has no such
   * thing (local spots keep their loopback identity).
   */
  default Optional<String> refreshIp(String instanceId) throws LaunchFailed {
    return Optional.empty();
  }

  /** Every instance of this cluster the provider runs, found by tags; empty if it cannot tell. */
  default java.util.List<Instance> instances() {
    return java.util.List.of();
  }

  /** Something that helps explain a failure (e.g. the end of the agent's log), if any. */
  default Optional<String> diagnostics(UUID spotId, String instanceId) {
    return Optional.empty();
  }
}
