package io.faaspot.scheduler.spot;

import static io.faaspot.scheduler.spot.LocalAgentProcesses.environ;
import static io.faaspot.scheduler.spot.LocalAgentProcesses.instanceId;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spots as agent processes on this machine: the embedded default and the test and benchmark
 * platform. Each runs the same agent jar and protocol as on EC2, in its own directory, and is known
 * by its own loopback address (127.0.1.N). Processes this provider started are stopped when the
 * server stops.
 *
 * <p>This class keeps track of the processes; starting one is {@link LocalAgentLauncher}'s, and
 * recognising one this run did not start (by its pid, which the system reuses) is {@link
 * LocalAgentProcesses}'s.
 */
public final class LocalSpotProvider implements SpotProvider, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalSpotProvider.class);

  /** How long a stopping agent has to finish or hand back its calls before SIGKILL. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(25);

  private final Path spotsDir;
  private final Path agentJar;
  private final LocalAddresses addresses;
  private final LocalAgentLauncher launcher;
  private final LocalAgentProcesses agents;
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
    this.addresses = new LocalAddresses(firstUid);
    this.launcher = new LocalAgentLauncher(spotsDir, agentJar, java, javaOptions, extraEnv);
    this.agents = new LocalAgentProcesses(spotsDir, agentJar);
  }

  /** The uid a local spot's functions run as, from its address 127.0.1.N. */
  public int uidOf(String ip) {
    return addresses.uidOf(ip);
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
    String ip = LocalAddresses.free(r.usedIps());
    try {
      Process p = launcher.start(r, ip, uidOf(ip));
      String instanceId = instanceId(p.pid());
      processes.put(instanceId, p);
      log.info("local spot {} started as process {} ({})", r.spotId(), p.pid(), ip);
      return new Launched(instanceId, ip, "local", "local", null);
    } catch (IOException e) {
      throw new LaunchFailed("cannot start the agent process: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean isAlive(String instanceId) {
    Process p = processes.get(instanceId);
    if (p != null) {
      return p.isAlive();
    }
    // Started by an earlier run of the server: look the process up by its pid, and make sure it
    // is still that agent (a pid is reused once its process is gone).
    return agents.agentProcess(instanceId).map(ProcessHandle::isAlive).orElse(false);
  }

  @Override
  public void terminate(String instanceId) {
    forget(instanceId).ifPresent(h -> LocalAgentStops.stop(h, STOP_WAIT));
  }

  /**
   * SIGTERM now and SIGKILL 25 s later if it is still there, without waiting here: a frozen agent
   * would otherwise hold the reconciler (and every other account's launches) that long.
   */
  @Override
  public void terminateLost(String instanceId) {
    forget(instanceId)
        .ifPresent(
            h ->
                Thread.ofVirtual()
                    .name("stop-" + instanceId)
                    .start(() -> LocalAgentStops.stop(h, STOP_WAIT)));
  }

  /** Stops tracking the instance, and answers its process if it is still one of our agents. */
  private Optional<ProcessHandle> forget(String instanceId) {
    Process p = processes.remove(instanceId);
    adopted.remove(instanceId);
    return p != null ? Optional.of(p.toHandle()) : agents.agentProcess(instanceId);
  }

  /** Kills a spot's process at once, as a crash would (tests use it). */
  public void kill(String instanceId) {
    agents.agentProcess(instanceId).ifPresent(ProcessHandle::destroyForcibly);
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
    agents
        .among(
            ProcessHandle.allProcesses(),
            id -> processes.containsKey(id) || adopted.containsKey(id))
        .forEach(
            (pid, spot) ->
                found.add(
                    new Leftover(
                        instanceId(pid), spot, environ(pid).getOrDefault("FAASPOT_URL", ""))));
    return found;
  }

  /** Takes a leftover agent on as if this run had started it (it is stopped with the server). */
  public void adopt(String instanceId) {
    agents.agentProcess(instanceId).ifPresent(h -> adopted.put(instanceId, h));
  }

  /** Stops a leftover agent: SIGTERM, then SIGKILL after a few seconds. */
  public void stopLeftover(String instanceId) {
    agents.agentProcess(instanceId).ifPresent(h -> LocalAgentStops.stop(h, Duration.ofSeconds(10)));
  }

  /** Every agent process of this provider's spots, so that the reconciler stops strays. */
  @Override
  public List<Instance> instances() {
    List<Instance> all = new ArrayList<>();
    agents
        .among(ProcessHandle.allProcesses().filter(ProcessHandle::isAlive), id -> false)
        .forEach((pid, spot) -> all.add(new Instance(instanceId(pid), spot, "running")));
    return all;
  }

  /** The end of the spot's agent log. */
  @Override
  public Optional<String> diagnostics(UUID spotId, String instanceId) {
    return LocalAgentLog.tail(spotsDir.resolve(spotId.toString()));
  }

  @Override
  public void close() {
    LocalAgentStops.stopAll(processes.values(), adopted.values());
    processes.clear();
    adopted.clear();
  }
}
