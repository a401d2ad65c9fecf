package io.faaspot.api.secrets;

/**
 * Deployment contexts (a function's secrets) as stored: sealed with the server's key, each bound to
 * its deployment version, so that a sealed context copied into another row does not open. See
 * README, Secrets.
 */
public final class Contexts {
  private final ContextKeys keys;

  Contexts(ContextKeys keys) {
    this.keys = keys;
  }

  /** The context of a new deployment version, as it is stored. */
  public String seal(long deploymentId, int version, String context) {
    return keys.current().seal(context, boundTo(deploymentId, version));
  }

  /**
   * A stored context in plain text. A plain-text row (written by an older server while this one
   * ran; the start encrypts the rest) is returned as it is.
   *
   * @throws IllegalStateException when its key is not this server's, or it was changed
   */
  public String open(long deploymentId, int version, String stored) {
    String keyId = ContextKey.keyIdOf(stored);
    if (keyId == null) {
      return stored;
    }
    ContextKey key = keys.withId(keyId);
    if (key == null) {
      throw new IllegalStateException(
          "the context of deployment "
              + deploymentId
              + " version "
              + version
              + " is encrypted with key "
              + keyId
              + ", which this server does not have; see README, Secrets");
    }
    try {
      return key.open(stored, boundTo(deploymentId, version));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "the context of deployment "
              + deploymentId
              + " version "
              + version
              + " "
              + e.getMessage(),
          e);
    }
  }

  static String boundTo(long deploymentId, int version) {
    return "deployment_versions:" + deploymentId + ":" + version;
  }
}
