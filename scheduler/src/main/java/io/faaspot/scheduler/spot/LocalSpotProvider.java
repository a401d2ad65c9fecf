package io.faaspot.scheduler.spot;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spots as agent processes on this machine: the embedded default and the test and benchmark
 * platform. Each runs the same agent jar and protocol as on EC2, in its own directory, and is known
 * by its own loopback address (127.0.1.N). Processes this provider started are stopped when the
 * server stops.
 */
public final class LocalSpotProvider implements SpotProvider, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalSpotProvider.class);
  private static final String PREFIX = "127.0.1.";

  /** How long a stopping agent has to finish or hand back its calls before SIGKILL. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(25);

  private static final Set<String> AGENT_ENVIRONMENT =
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

  private final Path spotsDir;
  private final Path agentJar;
  private final String java;
  private final List<String> javaOptions;
  private final Map<String, String> extraEnv;
  private final int firstUid;
  private final Map<String, Process> processes = new ConcurrentHashMap<>();
  private final Map<String, ProcessHandle> adopted = new ConcurrentHashMap<>();

  /**
   * @param javaOptions more options of the agent's JVM (such as its {@code -XX:AOTCache})
   * @param extraEnv added to the agent's environment (which otherwise is this process's, so {@code
   *     PIP_INDEX_URL} and friends pass through)
   * @param firstUid the spot at 127.0.1.N runs its functions as uid {@code firstUid + N}: a uid of
   *     its own on this machine, which no other spot's functions share
   */
  public LocalSpotProvider(
      Path spotsDir,
      Path agentJar,
      String java,
      List<String> javaOptions,
      Map<String, String> extraEnv,
      int firstUid) {
    this.spotsDir = spotsDir;
    this.agentJar = agentJar;
    this.java = java;
    this.javaOptions = List.copyOf(javaOptions);
    this.extraEnv = Map.copyOf(extraEnv);
    this.firstUid = firstUid;
  }

  /** The uid a local spot's functions run as, from its address 127.0.1.N. */
  public int uidOf(String ip) {
    return firstUid + Integer.parseInt(ip.substring(PREFIX.length()));
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public Launched launch(LaunchRequest r) throws LaunchFailed {
    if (!Files.isRegularFile(agentJar)) {
      throw new LaunchFailed(
          "the agent jar "
              + agentJar
              + " does not exist (build it, or set faaspot.spots.local.agent-jar)");
    }
    String ip = freeIp(r);
    Path dir = spotsDir.resolve(r.spotId().toString());
    try {
      Files.createDirectories(dir);
      // Functions of other spots run as other uids: they may pass through the server's data
      // directory to their own spot's, never list or read it.
      restrict(spotsDir.getParent(), "rwx--x--x");
      restrict(spotsDir, "rwx--x--x");
      restrict(dir, "rwx--x--x");
      Path logFile = dir.resolve("agent.log");
      if (!Files.exists(logFile)) {
        Files.createFile(logFile);
      }
      restrict(logFile, "rw-------");
      List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xss512k"));
      command.addAll(javaOptions);
      command.addAll(List.of("-jar", agentJar.toString()));
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      Map<String, String> env = pb.environment();
      // The agent runs functions: it gets none of the server's secrets (database, admin token,
      // cloud credentials), only what it needs to run Java, Python and pip.
      env.keySet()
          .removeIf(
              k ->
                  !AGENT_ENVIRONMENT.contains(k)
                      && !k.startsWith("LC_")
                      && !k.startsWith("PIP_")
                      && !AGENT_TUNING.contains(k));
      extraEnv.forEach((k, v) -> env.put(k, v.replace("{spot}", r.spotId().toString())));
      env.put("FAASPOT_URL", r.serverUrl());
      env.put("FAASPOT_REGISTRATION_SECRET", r.registrationSecret());
      env.put("FAASPOT_AGENT_DIR", dir.toString());
      env.put("FAASPOT_AGENT_IP", ip);
      env.put("FAASPOT_RUN_AS", Integer.toString(uidOf(ip)));
      Process p = pb.start();
      String instanceId = "local-" + p.pid();
      processes.put(instanceId, p);
      log.info("local spot {} started as process {} ({})", r.spotId(), p.pid(), ip);
      return new Launched(instanceId, ip, "local", "local", null);
    } catch (IOException e) {
      throw new LaunchFailed("cannot start the agent process: " + e.getMessage(), e);
    }
  }

  private static void restrict(Path p, String perms) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: nothing to restrict.
    }
  }

  private static String freeIp(LaunchRequest r) throws LaunchFailed {
    for (int n = 2; n < 255; n++) {
      String ip = PREFIX + n;
      if (!r.usedIps().contains(ip)) {
        return ip;
      }
    }
    throw new LaunchFailed("all local spot addresses 127.0.1.2-254 are in use");
  }

  @Override
  public boolean isAlive(String instanceId) {
    Process p = processes.get(instanceId);
    if (p != null) {
      return p.isAlive();
    }
    // Started by an earlier run of the server: look the process up by its pid, and make sure it
    // is still that agent (a pid is reused once its process is gone).
    return agentProcess(instanceId).map(ProcessHandle::isAlive).orElse(false);
  }

  @Override
  public void terminate(String instanceId) {
    Process p = processes.remove(instanceId);
    adopted.remove(instanceId);
    Optional<ProcessHandle> handle =
        p != null ? Optional.of(p.toHandle()) : agentProcess(instanceId);
    handle.ifPresent(h -> stop(h, STOP_WAIT));
  }

  /** SIGTERM: the agent finishes or hands back its calls, then exits; SIGKILL after the wait. */
  private static void stop(ProcessHandle h, Duration wait) {
    h.destroy();
    try {
      h.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      h.destroyForcibly();
    }
  }

  /**
   * SIGTERM now and SIGKILL 25 s later if it is still there, without waiting here: a frozen agent
   * would otherwise hold the reconciler (and every other account's launches) that long.
   */
  @Override
  public void terminateLost(String instanceId) {
    Process p = processes.remove(instanceId);
    adopted.remove(instanceId);
    Optional<ProcessHandle> handle =
        p != null ? Optional.of(p.toHandle()) : agentProcess(instanceId);
    handle.ifPresent(
        h -> Thread.ofVirtual().name("stop-" + instanceId).start(() -> stop(h, STOP_WAIT)));
  }

  /** Kills a spot's process at once, as a crash would (tests use it). */
  public void kill(String instanceId) {
    agentProcess(instanceId).ifPresent(ProcessHandle::destroyForcibly);
  }

  /**
   * An agent process that an earlier run of the server started and left running (it crashed, or was
   * killed): its spot (from its directory), and the server address it was given.
   */
  public record Leftover(String instanceId, UUID spotId, String serverUrl) {}

  /**
   * The agents running on this machine from this provider's spots directory that this run did not
   * start or adopt: what an earlier run of the server left behind.
   */
  public List<Leftover> leftovers() {
    List<Leftover> found = new ArrayList<>();
    ProcessHandle.allProcesses()
        .forEach(
            h -> {
              String id = "local-" + h.pid();
              if (processes.containsKey(id) || adopted.containsKey(id)) {
                return;
              }
              spotOf(h.pid())
                  .ifPresent(
                      spot ->
                          found.add(
                              new Leftover(
                                  id, spot, environ(h.pid()).getOrDefault("FAASPOT_URL", ""))));
            });
    return found;
  }

  /** Takes a leftover agent on as if this run had started it (it is stopped with the server). */
  public void adopt(String instanceId) {
    agentProcess(instanceId).ifPresent(h -> adopted.put(instanceId, h));
  }

  /** Stops a leftover agent: SIGTERM, then SIGKILL after a few seconds. */
  public void stopLeftover(String instanceId) {
    agentProcess(instanceId).ifPresent(h -> stop(h, Duration.ofSeconds(10)));
  }

  /** Every agent process of this provider's spots, so that the reconciler stops strays. */
  @Override
  public List<Instance> instances() {
    List<Instance> all = new ArrayList<>();
    ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .forEach(
            h ->
                spotOf(h.pid())
                    .ifPresent(spot -> all.add(new Instance("local-" + h.pid(), spot, "running"))));
    return all;
  }

  /** The process behind an instance id, if it is an agent of one of this provider's spots. */
  private Optional<ProcessHandle> agentProcess(String instanceId) {
    return pid(instanceId).filter(pid -> spotOf(pid).isPresent()).flatMap(ProcessHandle::of);
  }

  /**
   * The spot whose agent the process is. Linux only (through /proc); elsewhere no process is
   * recognised.
   */
  private Optional<UUID> spotOf(long pid) {
    try {
      Path proc = Path.of("/proc", Long.toString(pid));
      // Started by this server's user (a function's uid cannot pass for an agent)...
      if (!Files.getOwner(proc).equals(Files.getOwner(Path.of("/proc/self")))) {
        return Optional.empty();
      }
      // ...running an agent jar (by name: an upgrade may have moved it)...
      List<String> args = List.of(Files.readString(proc.resolve("cmdline")).split("\0"));
      int jar = args.indexOf("-jar");
      if (jar < 0
          || jar + 1 >= args.size()
          || !Path.of(args.get(jar + 1)).getFileName().equals(agentJar.getFileName())) {
        return Optional.empty();
      }
      // ...in one of this provider's spot directories.
      Path cwd = Files.readSymbolicLink(proc.resolve("cwd"));
      if (!spotsDir.toAbsolutePath().equals(cwd.getParent())) {
        return Optional.empty();
      }
      return Optional.of(UUID.fromString(cwd.getFileName().toString()));
    } catch (IOException | RuntimeException e) {
      // Gone, not ours to read, or not a spot directory.
      return Optional.empty();
    }
  }

  private static Map<String, String> environ(long pid) {
    Map<String, String> env = new HashMap<>();
    try {
      for (String kv :
          Files.readString(Path.of("/proc", Long.toString(pid), "environ")).split("\0")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
      }
    } catch (IOException | RuntimeException e) {
      // Gone or not readable: nothing known.
    }
    return env;
  }

  /** The end of the spot's agent log. */
  @Override
  public Optional<String> diagnostics(java.util.UUID spotId, String instanceId) {
    Path logFile = spotsDir.resolve(spotId.toString()).resolve("agent.log");
    if (!Files.exists(logFile)) {
      return Optional.empty();
    }
    try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
      long start = Math.max(0, f.length() - 4000);
      f.seek(start);
      byte[] bytes = new byte[(int) (f.length() - start)];
      f.readFully(bytes);
      return Optional.of("The end of its log:\n" + new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<Long> pid(String instanceId) {
    if (instanceId == null || !instanceId.startsWith("local-")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(instanceId.substring("local-".length())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    adopted.values().forEach(ProcessHandle::destroy);
    processes.values().forEach(Process::destroy);
    for (Process p : processes.values()) {
      try {
        if (!p.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    processes.clear();
    for (ProcessHandle h : adopted.values()) {
      stop(h, Duration.ofSeconds(10));
    }
    adopted.clear();
  }
}
