package io.faaspot.api.config.embedded;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One postmaster: a direct child of the thread that launches it (no {@code pg_ctl}, which would
 * daemonise it), its output appended to {@code <data-dir>/postgres.log}.
 */
final class Postmaster {
  private static final long LOG_ROTATE_BYTES = 10L << 20;
  private static final Duration READY_POLL = Duration.ofMillis(20);

  /** What every postmaster of a data directory is started with. */
  record Spec(Path binaries, Path dir, Path logFile, DbUser user, int port) {}

  private final Process process;
  private final Path pidFile;

  private Postmaster(Process process, Path dir) {
    this.process = process;
    this.pidFile = dir.resolve("postmaster.pid");
  }

  /**
   * Starts a postmaster. Its settings are given on the command line, where they win over
   * postgresql.conf and ALTER SYSTEM, so they hold for data directories of earlier versions too.
   */
  static Postmaster launch(Spec spec) throws IOException {
    rotateLog(spec.logFile());
    List<String> postgres = new ArrayList<>();
    postgres.add(spec.binaries().resolve("bin/postgres").toString());
    postgres.add("-D");
    postgres.add(spec.dir().toString());
    for (String setting :
        List.of(
            "port=" + spec.port(),
            "listen_addresses=127.0.0.1",
            // No Unix socket: TCP on the loopback, with a password, is the only way in.
            "unix_socket_directories=",
            "password_encryption=scram-sha-256",
            // A commit is on disk before it is answered: an id the server hands out must
            // survive a crash of the database or of the machine. PostgreSQL's defaults, stated
            // because the library that ran earlier versions turned both off.
            "fsync=on",
            "synchronous_commit=on",
            "max_connections=200",
            "timezone=UTC",
            "log_timezone=UTC")) {
      postgres.add("-c");
      postgres.add(setting);
    }
    ProcessBuilder pb =
        new ProcessBuilder(spec.user().command(postgres, true))
            .directory(spec.binaries().toFile())
            .redirectErrorStream(true)
            .redirectOutput(Redirect.appendTo(spec.logFile().toFile()));
    Commands.environment(pb.environment());
    return new Postmaster(pb.start(), spec.dir());
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  /** Stops it as {@code pg_ctl stop -m fast} would; whether it ended in the fast shutdown. */
  boolean stop(Duration fastShutdownWait) throws IOException {
    return !process.isAlive() || Commands.stopPostmaster(process.toHandle(), fastShutdownWait);
  }

  /**
   * Waits until it accepts connections: line 8 of postmaster.pid says "ready", which is what {@code
   * pg_ctl start -w} waits for. There is no event to wait on, so this polls the file.
   *
   * @param timeout null: as long as it lives
   * @return false if it died first, the time ran out or the thread was interrupted
   */
  boolean awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + (timeout == null ? Long.MAX_VALUE / 2 : timeout.toNanos());
    while (process.isAlive() && System.nanoTime() - deadline < 0) {
      try {
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() >= 8
            && lines.get(0).strip().equals(Long.toString(process.pid()))
            && lines.get(7).strip().equals("ready")) {
          return true;
        }
      } catch (IOException | RuntimeException e) {
        // Not written yet, or being written.
      }
      try {
        Thread.sleep(READY_POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** The log is the server's to keep in bounds: one old file of 10 MB at most besides it. */
  private static void rotateLog(Path logFile) throws IOException {
    if (Files.exists(logFile) && Files.size(logFile) > LOG_ROTATE_BYTES) {
      Files.move(
          logFile,
          logFile.resolveSibling(logFile.getFileName() + ".1"),
          StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.exists(logFile)) {
      Files.createFile(logFile, PosixFilePermissions.asFileAttribute(PasswordFile.OWNER_ONLY));
    }
  }

  /** The last lines of a postmaster's log, for an error message. */
  static String logTail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
