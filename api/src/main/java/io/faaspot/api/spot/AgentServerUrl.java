package io.faaspot.api.spot;

import io.faaspot.api.config.FaaspotProperties;
import org.springframework.core.env.Environment;

/**
 * The address spots' agents are given to reach this server: faaspot.public-url, or loopback at its
 * own port. Apart because launching spots and taking over a previous run's local spots both need it
 * (a local agent given another address is not taken over).
 */
final class AgentServerUrl {
  private AgentServerUrl() {}

  static String of(FaaspotProperties faaspot, Environment environment) {
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
