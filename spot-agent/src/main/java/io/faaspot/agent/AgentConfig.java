package io.faaspot.agent;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The agent's settings, from the environment ({@code FAASPOT_*}) or {@code --name=value} arguments,
 * which win.
 *
 * @param serverUrl the server (FAASPOT_URL)
 * @param registrationSecret the one-time secret this spot was launched with
 *     (FAASPOT_REGISTRATION_SECRET)
 * @param dir working directory: environments, function files (FAASPOT_AGENT_DIR)
 * @param ip the address this spot reports (FAASPOT_AGENT_IP); the local provider gives each agent
 *     its own 127.0.1.N
 * @param python the Python used to build environments (FAASPOT_PYTHON)
 * @param envBudgetBytes disk the environments may take before the least recently used are deleted
 *     (FAASPOT_ENV_BUDGET_MB)
 * @param buildTimeout longest one environment build may take (FAASPOT_BUILD_TIMEOUT_SECONDS)
 * @param workerMemoryMb address-space limit of each function process, 0 for none
 *     (FAASPOT_WORKER_MEMORY_MB)
 * @param runAs the user (a name, or a numeric uid whose gid is the same number) that functions and
 *     pip builds run as when the agent runs as root (FAASPOT_RUN_AS, default 61000); each agent on
 *     a machine needs a uid of its own, which no other program uses (local spots get one each)
 * @param sandbox {@code auto} (bubblewrap where it works, else the uid alone), {@code bwrap} (fail
 *     to start without it) or {@code uid} (FAASPOT_SANDBOX)
 * @param maxProcesses most processes and threads the functions' uid may have
 *     (FAASPOT_MAX_PROCESSES, default 256): a fork bomb stops there
 * @param maxOpenFiles most open files per function process (FAASPOT_MAX_OPEN_FILES, 1024)
 * @param maxFileMb largest file a function or build may write (FAASPOT_MAX_FILE_MB, 1024)
 * @param scratchMb size of each worker's private /tmp in the sandbox (FAASPOT_SCRATCH_MB, 256)
 * @param shutdownGrace how long a stopping agent lets running calls finish before handing them back
 *     (FAASPOT_SHUTDOWN_GRACE_SECONDS)
 * @param stream whether calls and results go over the agent stream (a WebSocket) rather than HTTP
 *     long polls (FAASPOT_AGENT_STREAM, on by default; the agent falls back to polls by itself when
 *     the server or a proxy refuses the stream)
 * @param prefetch how much work, in measured run time per worker, the agent takes ahead of its free
 *     workers (FAASPOT_PREFETCH_MS, default 100; 0 takes only what free workers start at once)
 */
record AgentConfig(
    URI serverUrl,
    String registrationSecret,
    Path dir,
    String ip,
    String hostname,
    Path python,
    long envBudgetBytes,
    Duration buildTimeout,
    int workerMemoryMb,
    String runAs,
    String sandbox,
    int maxProcesses,
    int maxOpenFiles,
    long maxFileMb,
    long scratchMb,
    Duration shutdownGrace,
    String imdsUrl,
    Duration imdsInterval,
    boolean stream,
    Duration prefetch) {

  static AgentConfig from(Map<String, String> env, String[] args) {
    Map<String, String> values = new HashMap<>(env);
    for (String arg : args) {
      if (arg.startsWith("--") && arg.contains("=")) {
        String key = arg.substring(2, arg.indexOf('='));
        values.put(
            "FAASPOT_" + key.toUpperCase().replace('-', '_'), arg.substring(arg.indexOf('=') + 1));
      }
    }
    String url = require(values, "FAASPOT_URL");
    String secret = require(values, "FAASPOT_REGISTRATION_SECRET");
    Path dir = Path.of(values.getOrDefault("FAASPOT_AGENT_DIR", "faaspot-agent")).toAbsolutePath();
    String python = values.get("FAASPOT_PYTHON");
    if (python == null || python.isBlank()) {
      // Debian's python3 is reachable by every user, unlike one under root's home.
      python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }
    return new AgentConfig(
        URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url),
        secret,
        dir,
        blankToNull(values.get("FAASPOT_AGENT_IP")),
        localHostname(),
        Path.of(python),
        Long.parseLong(values.getOrDefault("FAASPOT_ENV_BUDGET_MB", "4096")) * 1024 * 1024,
        Duration.ofSeconds(
            Long.parseLong(values.getOrDefault("FAASPOT_BUILD_TIMEOUT_SECONDS", "600"))),
        Integer.parseInt(values.getOrDefault("FAASPOT_WORKER_MEMORY_MB", "2048")),
        values.getOrDefault("FAASPOT_RUN_AS", "61000").strip(),
        sandbox(values.getOrDefault("FAASPOT_SANDBOX", "auto")),
        Integer.parseInt(values.getOrDefault("FAASPOT_MAX_PROCESSES", "256")),
        Integer.parseInt(values.getOrDefault("FAASPOT_MAX_OPEN_FILES", "1024")),
        Long.parseLong(values.getOrDefault("FAASPOT_MAX_FILE_MB", "1024")),
        Long.parseLong(values.getOrDefault("FAASPOT_SCRATCH_MB", "256")),
        Duration.ofSeconds(
            Long.parseLong(values.getOrDefault("FAASPOT_SHUTDOWN_GRACE_SECONDS", "20"))),
        imds(values.getOrDefault("FAASPOT_IMDS_URL", "http://169.254.169.254")),
        Duration.ofSeconds(
            Long.parseLong(values.getOrDefault("FAASPOT_IMDS_INTERVAL_SECONDS", "5"))),
        !values.getOrDefault("FAASPOT_AGENT_STREAM", "on").strip().equalsIgnoreCase("off"),
        Duration.ofMillis(Long.parseLong(values.getOrDefault("FAASPOT_PREFETCH_MS", "100"))));
  }

  private static String require(Map<String, String> values, String name) {
    String v = values.get(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return v;
  }

  private static String sandbox(String value) {
    String v = value.strip().toLowerCase(java.util.Locale.ROOT);
    if (!v.equals("auto") && !v.equals("bwrap") && !v.equals("uid")) {
      throw new IllegalArgumentException(
          "FAASPOT_SANDBOX must be auto, bwrap or uid, not " + value);
    }
    return v;
  }

  private static String imds(String url) {
    if (url == null || url.isBlank() || url.equalsIgnoreCase("off")) {
      return null;
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String localHostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
