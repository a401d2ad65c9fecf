package io.faaspot.scheduler.spot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Recognises this provider's agent processes among the machine's, through /proc (Linux only;
 * elsewhere no process is recognised). Apart from {@link LocalSpotProvider}, which starts and stops
 * them, because these checks are all that keeps it from signalling a process that is not its agent:
 * a pid reused by another process, another user's process, a function's process passing for an
 * agent.
 */
final class LocalAgentProcesses {
  private static final String ID_PREFIX = "local-";

  private final Path spotsDir;
  private final Path agentJar;

  LocalAgentProcesses(Path spotsDir, Path agentJar) {
    this.spotsDir = spotsDir;
    this.agentJar = agentJar;
  }

  /** The instance id of the agent process {@code pid}. */
  static String instanceId(long pid) {
    return ID_PREFIX + pid;
  }

  /**
   * The agents of this provider's spots among {@code processes}, by pid, with their spots; those
   * whose instance ids {@code skip} accepts are not even looked at.
   */
  Map<Long, UUID> among(Stream<ProcessHandle> processes, Predicate<String> skip) {
    Map<Long, UUID> found = new LinkedHashMap<>();
    processes
        .filter(h -> !skip.test(instanceId(h.pid())))
        .forEach(h -> spotOf(h.pid()).ifPresent(spot -> found.put(h.pid(), spot)));
    return found;
  }

  /** The process behind an instance id, if it is an agent of one of this provider's spots. */
  Optional<ProcessHandle> agentProcess(String instanceId) {
    return pid(instanceId).filter(pid -> spotOf(pid).isPresent()).flatMap(ProcessHandle::of);
  }

  /** The spot whose agent the process is. */
  Optional<UUID> spotOf(long pid) {
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

  /** The environment the process was started with; empty if it cannot be read. */
  static Map<String, String> environ(long pid) {
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

  private static Optional<Long> pid(String instanceId) {
    if (instanceId == null || !instanceId.startsWith(ID_PREFIX)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(instanceId.substring(ID_PREFIX.length())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
