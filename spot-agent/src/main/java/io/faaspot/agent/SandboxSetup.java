package io.faaspot.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Chooses the agent's {@link Sandbox} once at start, and lays out the spot's directory so that the
 * spot's uid reads only what it must and writes only its own places:
 *
 * <pre>
 * agent dir      root 0711  credential 0600, bootstrap.py 0644 (agent.log: the provider's, 0600)
 *   deployments/ root:spot 0750, files 0640  written by the agent only: no link can be planted
 *   requirements/root:spot 0750              the files builds read
 *   envs/        root 0711                   each environment in it: spot 0700, built by the uid
 *   home/        spot 0700                   HOME and TMPDIR of builds (and of workers in uid mode)
 * </pre>
 */
final class SandboxSetup {
  private SandboxSetup() {}

  static Sandbox choose(AgentConfig config, Path dir, Path bootstrap) throws IOException {
    Path home = dir.resolve("home");
    Sandbox.Limits limits =
        new Sandbox.Limits(
            config.maxProcesses(),
            config.maxOpenFiles(),
            config.maxFileMb() * 1024L * 1024L,
            config.scratchMb() * 1024L * 1024L);
    if (!isRoot()) {
      Log.warn(
          "functions and pip run as this agent's own user: the agent does not run as root, so it"
              + " cannot give them a user of their own (see the README's threat model)");
      return new Sandbox(Sandbox.Mode.NONE, -1, -1, limits, home, List.of());
    }
    if (config.runAs() == null || config.runAs().isBlank()) {
      throw new IllegalStateException(
          "FAASPOT_RUN_AS is empty: as root, the agent runs functions only under a uid of their own");
    }
    int[] ids = ids(config.runAs());
    if (ids[0] == 0) {
      throw new IllegalStateException("FAASPOT_RUN_AS must not be root");
    }
    layOut(dir, bootstrap, ids[0], ids[1]);
    List<Path> extra = Sandbox.extraReadOnly(pythonPrefix(config.python()), System.getenv());
    String wanted = config.sandbox();
    if (!wanted.equals("uid")) {
      Sandbox bw = new Sandbox(Sandbox.Mode.BWRAP, ids[0], ids[1], limits, home, extra);
      String failure =
          probe(
              bw.worker(
                  readable(config.python(), bootstrap),
                  dir.resolve("deployments"),
                  dir.resolve("envs"),
                  bootstrap));
      if (failure == null) {
        Log.info("functions and pip run as uid %d in a bubblewrap sandbox", ids[0]);
        return bw;
      }
      if (wanted.equals("bwrap")) {
        throw new IllegalStateException("FAASPOT_SANDBOX=bwrap, but bubblewrap fails: " + failure);
      }
      Log.warn(
          "bubblewrap is not available (%s): functions and pip run as uid %d without a sandbox:"
              + " other processes are visible to them and shared temporary directories writable"
              + " (see the README's threat model)",
          failure, ids[0]);
    }
    Sandbox uid = new Sandbox(Sandbox.Mode.UID, ids[0], ids[1], limits, home, extra);
    String failure = probe(uid.asSpotUser(readable(config.python(), bootstrap)));
    if (failure != null) {
      throw new IllegalStateException(
          "cannot run functions as uid "
              + ids[0]
              + ": "
              + failure
              + " (is "
              + config.python()
              + " reachable by every user?)");
    }
    Log.info("functions and pip run as uid %d", ids[0]);
    return uid;
  }

  private static List<String> readable(Path python, Path bootstrap) {
    return List.of(python.toString(), "-c", "open(" + pyString(bootstrap.toString()) + ").close()");
  }

  private static void layOut(Path dir, Path bootstrap, int uid, int gid) throws IOException {
    mode(dir, "rwx--x--x");
    mode(bootstrap, "rw-r--r--");
    Path envs = dir.resolve("envs");
    Files.createDirectories(envs);
    chown(envs, 0, 0, false);
    mode(envs, "rwx--x--x");
    for (String shared : List.of("deployments", "requirements")) {
      Path p = dir.resolve(shared);
      Files.createDirectories(p);
      chown(p, 0, gid, false);
      mode(p, "rwxr-x---");
    }
    Path home = dir.resolve("home");
    Files.createDirectories(home);
    if (!Files.getAttribute(home, "unix:uid").equals(uid)) {
      // Made for another uid: the spot's uid takes it over.
      chown(home, uid, gid, true);
    }
    mode(home, "rwx------");
  }

  static void mode(Path p, String perms) throws IOException {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
  }

  /** Gives a file the owner and group; {@code recursive} never follows symbolic links. */
  static void chown(Path p, int uid, int gid, boolean recursive) throws IOException {
    if (!recursive) {
      Files.setAttribute(p, "unix:uid", uid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(p, "unix:gid", gid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
      return;
    }
    String failure = probe(List.of("chown", "-R", "-P", uid + ":" + gid, p.toString()));
    if (failure != null) {
      throw new IOException("chown of " + p + " failed: " + failure);
    }
  }

  /** Runs a short command; null if it succeeded, else what it said. */
  private static String probe(List<String> command) {
    try {
      Process p = Spawner.start(new ProcessBuilder(command).redirectErrorStream(true));
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "timed out";
      }
      return p.exitValue() == 0 ? null : "exit code " + p.exitValue() + ": " + out.strip();
    } catch (IOException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static Path pythonPrefix(Path python) {
    try {
      return Path.of(PythonProbe.output(python, "import sys; print(sys.base_prefix)").strip());
    } catch (IOException e) {
      return null;
    }
  }

  static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.substring(4).strip().split("\\s+")[1].equals("0");
        }
      }
    } catch (IOException e) {
      // Not Linux: fall through.
    }
    return "root".equals(System.getProperty("user.name"));
  }

  /** A numeric uid (its gid the same number) or a user name from /etc/passwd. */
  static int[] ids(String runAs) throws IOException {
    if (runAs.chars().allMatch(Character::isDigit)) {
      int id = Integer.parseInt(runAs);
      return new int[] {id, id};
    }
    for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
      String[] f = line.split(":");
      if (f.length > 3 && f[0].equals(runAs)) {
        return new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])};
      }
    }
    throw new IllegalStateException("FAASPOT_RUN_AS: no user " + runAs + " in /etc/passwd");
  }

  private static String pyString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
