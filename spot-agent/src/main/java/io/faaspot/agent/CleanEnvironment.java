package io.faaspot.agent;

import java.util.Map;
import java.util.Set;

/**
 * What the processes the agent starts may see of its environment. Function code gets only the
 * basics (no credentials of the agent or, for local spots, of the server); pip additionally gets
 * its own settings and the proxy and certificate variables it needs to reach an index.
 */
final class CleanEnvironment {
  private static final Set<String> BASICS =
      Set.of("PATH", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TERM");
  private static final Set<String> NETWORK =
      Set.of(
          "HOME",
          "HTTP_PROXY",
          "HTTPS_PROXY",
          "NO_PROXY",
          "http_proxy",
          "https_proxy",
          "no_proxy",
          "SSL_CERT_FILE",
          "SSL_CERT_DIR",
          "REQUESTS_CA_BUNDLE",
          "PIP_CONFIG_FILE",
          "XDG_CONFIG_HOME");

  private CleanEnvironment() {}

  /** Replaces {@code env} (a ProcessBuilder's) with what a function may see. */
  static void forFunctions(Map<String, String> env) {
    env.keySet().removeIf(k -> !BASICS.contains(k) && !k.startsWith("LC_"));
  }

  /** Replaces {@code env} with what pip and venv need: the basics, pip's settings, proxies. */
  static void forPip(Map<String, String> env) {
    env.keySet()
        .removeIf(
            k ->
                !BASICS.contains(k)
                    && !k.startsWith("LC_")
                    && !k.startsWith("PIP_")
                    && !NETWORK.contains(k));
  }
}
