package io.faaspot.scheduler.spot;

import java.util.Map;
import java.util.Set;

/**
 * What of the server's environment a local agent process inherits. The agent runs functions: it
 * gets none of the server's secrets (database, admin token, cloud credentials), only what it needs
 * to run Java, Python and pip, and the agent settings an operator gives the server to pass on. A
 * list of its own, so that what may pass is read (and reviewed) in one place.
 */
final class LocalAgentEnvironment {
  private static final Set<String> PASSED =
      Set.of(
          "PATH",
          "HOME",
          "LANG",
          "LANGUAGE",
          "TZ",
          "TMPDIR",
          "USER",
          "JAVA_HOME",
          "JDK_JAVA_OPTIONS",
          "JAVA_TOOL_OPTIONS",
          "HTTP_PROXY",
          "HTTPS_PROXY",
          "NO_PROXY",
          "http_proxy",
          "https_proxy",
          "no_proxy",
          "SSL_CERT_FILE",
          "SSL_CERT_DIR",
          "REQUESTS_CA_BUNDLE",
          "XDG_CONFIG_HOME");

  /** The agent's own settings an operator may give the server to pass on to local spots. */
  private static final Set<String> AGENT_TUNING =
      Set.of(
          "FAASPOT_PYTHON",
          "FAASPOT_MAX_PROCESSES",
          "FAASPOT_MAX_OPEN_FILES",
          "FAASPOT_MAX_FILE_MB",
          "FAASPOT_SCRATCH_MB",
          "FAASPOT_WORKER_MEMORY_MB",
          "FAASPOT_ENV_BUDGET_MB",
          "FAASPOT_BUILD_TIMEOUT_SECONDS",
          "FAASPOT_SHUTDOWN_GRACE_SECONDS",
          "FAASPOT_PREFETCH_MS");

  private LocalAgentEnvironment() {}

  /** Removes from {@code env} (a copy of the server's) everything an agent must not see. */
  static void strip(Map<String, String> env) {
    env.keySet()
        .removeIf(
            k ->
                !PASSED.contains(k)
                    && !k.startsWith("LC_")
                    && !k.startsWith("PIP_")
                    && !AGENT_TUNING.contains(k));
  }
}
