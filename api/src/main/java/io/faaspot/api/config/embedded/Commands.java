package io.faaspot.api.config.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** The system commands the embedded PostgreSQL needs, run to their end or signalled. */
final class Commands {
  private static final List<String> SYSTEM_DIRS =
      List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

  private Commands() {}

  /** What a command printed (stdout and stderr together) and how it ended. */
  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  /**
   * Runs a command to its end in {@code dir}, feeding it {@code stdin} (or nothing), with the
   * environment {@link #environment} gives it.
   */
  static Result run(List<String> command, Path dir, String stdin, Duration timeout)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    environment(pb.environment());
    Process p = pb.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (InputStream in = p.getInputStream()) {
                    in.transferTo(out);
                  } catch (IOException e) {
                    // The process was killed; what it printed so far is enough.
                  }
                });
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(command.getFirst() + " did not end within " + timeout);
      }
      reader.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command, e);
    }
    return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
  }

  /**
   * PostgreSQL and the tools get a small environment of their own, not the server's: that may hold
   * secrets (the admin token, cloud credentials) that the database has no use for.
   */
  static void environment(Map<String, String> env) {
    env.clear();
    env.put("PATH", String.join(":", SYSTEM_DIRS));
    env.put("LC_ALL", "C");
  }

  /** The absolute path of a system command, looked for in the usual directories and the PATH. */
  static String which(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : concat(SYSTEM_DIRS, List.of(path.split(":")))) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  /** Sends a signal ({@code INT}, {@code QUIT}...) to a process, which may be of another user. */
  static void signal(long pid, String signal) throws IOException {
    Result r = run(List.of(require("kill"), "-s", signal, Long.toString(pid)), null, null, ofS(10));
    if (!r.ok() && ProcessHandle.of(pid).isPresent()) {
      throw new IOException("kill -s " + signal + " " + pid + ": " + r.output().strip());
    }
  }

  /**
   * Stops a postmaster as {@code pg_ctl stop} would: a fast shutdown (SIGINT) first, which ends the
   * sessions and writes a checkpoint; if that does not end it, an immediate one (SIGQUIT), which
   * the next start recovers from; and if even that does not, SIGKILL.
   *
   * @return whether it ended in the fast shutdown
   */
  static boolean stopPostmaster(ProcessHandle postmaster, Duration fastWait) throws IOException {
    List<ProcessHandle> children = postmaster.children().toList();
    for (String signal : List.of("INT", "QUIT")) {
      signal(postmaster.pid(), signal);
      if (awaitExit(postmaster, signal.equals("INT") ? fastWait : ofS(5))) {
        return signal.equals("INT");
      }
    }
    postmaster.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    awaitExit(postmaster, ofS(5));
    return false;
  }

  static boolean awaitExit(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  static String require(String name) throws IOException {
    String found = which(name);
    if (found == null) {
      throw new IOException("the embedded PostgreSQL needs the command " + name + " (not found)");
    }
    return found;
  }

  private static Duration ofS(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }
}
