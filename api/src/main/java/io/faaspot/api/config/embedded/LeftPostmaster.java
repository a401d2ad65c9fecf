package io.faaspot.api.config.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The postmaster an earlier run may have left on the data directory, found by its lock file and
 * checked in /proc before any signal: a pid reused by another program is left alone.
 */
final class LeftPostmaster {
  private static final Logger log = LoggerFactory.getLogger(LeftPostmaster.class);

  private LeftPostmaster() {}

  /**
   * A postmaster that outlived the server that started it (the server was killed before this
   * version, which makes it die with the server, or by a kill that also took its parent thread's
   * signal away) still holds the directory: stop it, as its server would have.
   */
  static void stopIfRunning(Path dir) throws IOException {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty() || lines.getFirst().isBlank()) {
      return;
    }
    long pid;
    try {
      // A single-user backend writes its pid negated.
      pid = Math.abs(Long.parseLong(lines.getFirst().strip()));
    } catch (NumberFormatException e) {
      return; // PostgreSQL tells what is wrong with its lock file
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !isPostgresOn(dir, pid)) {
      // A dead one: PostgreSQL itself removes its stale lock file.
      return;
    }
    log.warn(
        "a PostgreSQL left running by an earlier run (pid {}) holds {}: stopping it", pid, dir);
    boolean fast = Commands.stopPostmaster(process.get(), Duration.ofSeconds(10));
    log.warn(
        fast
            ? "stopped the PostgreSQL left running (pid {}) in a fast shutdown"
            : "the PostgreSQL left running (pid {}) ignored a fast shutdown and was killed; the"
                + " start recovers from its log",
        pid);
  }

  private static boolean isPostgresOn(Path dir, long pid) {
    try {
      // A postmaster works in its data directory; a pid reused by another program does not.
      Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd"));
      Path exe = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe"));
      return cwd.equals(dir.toRealPath()) && exe.getFileName().toString().startsWith("postgres");
    } catch (IOException e) {
      return false;
    }
  }
}
