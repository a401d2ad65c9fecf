package io.faaspot.scheduler.spot;

/**
 * Spots whose agents are started by the operator on machines of their own: the server launches
 * nothing, and an agent joins by registering with the secret the admin API issues for its spot.
 */
public final class ManualSpotProvider implements SpotProvider {
  @Override
  public String name() {
    return "manual";
  }

  @Override
  public boolean launches() {
    return false;
  }

  @Override
  public Launched launch(LaunchRequest request) throws LaunchFailed {
    throw new LaunchFailed("manual spots are started by their operator, not launched");
  }

  /** Nothing to watch: an agent's heartbeats alone say whether it lives. */
  @Override
  public boolean isAlive(String instanceId) {
    return true;
  }

  @Override
  public void terminate(String instanceId) {
    // The operator stops the machine; its agent's credential is revoked by the server.
  }

  /**
   * Holds nothing to release. It exists because the server declares {@code close} as the provider
   * bean's destroy method; without it the {@code manual} provider cannot start.
   */
  public void close() {}
}
