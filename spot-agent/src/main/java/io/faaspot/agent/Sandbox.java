package io.faaspot.agent;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What confines the code the agent runs: function workers and environment builds, both of which are
 * as hostile as each other (pip runs a package's setup.py). Three modes ({@link SandboxMode}),
 * chosen once at start: a bubblewrap sandbox under the spot's own uid, the spot's uid alone, or
 * nothing (an agent that is not root). This class makes the commands of each mode: the sandbox's
 * binds ({@link Bwrap}), the switch to the spot's uid ({@code setpriv}) and the limits ({@code
 * prlimit}).
 */
final class Sandbox {
  final SandboxMode mode;
  final int uid;
  final int gid;
  private final SandboxLimits limits;

  /** The spot's own writable directory: HOME and TMPDIR of builds (and of workers in uid mode). */
  final Path home;

  /** Read-only binds beyond /usr and /etc: the Python installation, pip's local indexes. */
  private final List<Path> extraReadOnly;

  private final String setpriv;

  Sandbox(
      SandboxMode mode,
      int uid,
      int gid,
      SandboxLimits limits,
      Path home,
      List<Path> extraReadOnly) {
    this.mode = mode;
    this.uid = uid;
    this.gid = gid;
    this.limits = limits;
    this.home = home;
    this.extraReadOnly = List.copyOf(extraReadOnly);
    this.setpriv = which("setpriv").orElse("setpriv");
  }

  /** No confinement: what tests of the agent's own logic use, and an agent that is not root. */
  static Sandbox unconfined(Path home) {
    return new Sandbox(SandboxMode.NONE, -1, -1, new SandboxLimits(0, 0, 0, 0), home, List.of());
  }

  boolean confined() {
    return mode != SandboxMode.NONE;
  }

  /** The command that starts a worker of a deployment version. */
  List<String> worker(List<String> command, Path deploymentDir, Path envDir, Path bootstrap) {
    return switch (mode) {
      case NONE -> command;
      case UID -> wrap(asUser(command));
      case BWRAP -> {
        List<String> bw = Bwrap.base(limits.scratchBytes(), extraReadOnly);
        Bwrap.readOnly(bw, bootstrap);
        Bwrap.readOnly(bw, deploymentDir);
        Bwrap.readOnly(bw, envDir);
        bw.addAll(List.of("--chdir", deploymentDir.toString()));
        bw.addAll(asUser(command));
        yield wrap(bw);
      }
    };
  }

  /** What a worker's environment holds beyond the basics: where it may write. */
  void workerEnvironment(Map<String, String> env) {
    String scratch = mode == SandboxMode.BWRAP ? "/tmp" : home.toString();
    if (mode != SandboxMode.NONE) {
      env.put("HOME", scratch);
      env.put("TMPDIR", scratch);
    }
  }

  /**
   * The command of one step of an environment build (venv, pip): the environment's directory and
   * the spot's home are writable, the requirements file readable, and nothing else of the spot.
   */
  List<String> build(List<String> command, Path envDir, Path requirementsFile) {
    return switch (mode) {
      case NONE -> command;
      case UID -> wrap(asUser(command));
      case BWRAP -> {
        List<String> bw = Bwrap.base(limits.scratchBytes(), extraReadOnly);
        Bwrap.readWrite(bw, envDir);
        Bwrap.readWrite(bw, home);
        if (requirementsFile != null) {
          Bwrap.readOnly(bw, requirementsFile);
        }
        bw.addAll(List.of("--chdir", home.toString()));
        bw.addAll(asUser(command));
        yield wrap(bw);
      }
    };
  }

  /** HOME and TMPDIR of a build: the spot's own disk, since wheels can be large. */
  void buildEnvironment(Map<String, String> env) {
    if (mode != SandboxMode.NONE) {
      env.put("HOME", home.toString());
      env.put("TMPDIR", home.toString());
    }
  }

  /**
   * A command run as the spot's uid without a sandbox: for deleting what that uid wrote, which the
   * root agent must not walk itself (a directory swapped for a symbolic link mid-walk would turn
   * root's delete against another place).
   */
  List<String> asSpotUser(List<String> command) {
    return mode == SandboxMode.NONE ? command : asUser(command);
  }

  private List<String> asUser(List<String> command) {
    List<String> c = new ArrayList<>();
    c.add(setpriv);
    c.add("--reuid=" + uid);
    c.add("--regid=" + gid);
    c.add("--clear-groups");
    c.add("--no-new-privs");
    c.add("--bounding-set=-all");
    c.add("--inh-caps=-all");
    if (mode == SandboxMode.UID) {
      // Without a PID namespace to end with it, a worker must end with the agent's spawner thread.
      c.add("--pdeathsig=SIGKILL");
    }
    c.add("--");
    c.addAll(command);
    return c;
  }

  private List<String> wrap(List<String> command) {
    List<String> c = new ArrayList<>();
    c.add("prlimit");
    c.add("--nproc=" + limits.processes());
    c.add("--nofile=" + limits.openFiles());
    c.add("--fsize=" + limits.fileBytes());
    c.add("--");
    c.addAll(command);
    return c;
  }

  /**
   * Kills processes of the spot's uid that this agent did not start (see {@link StrayProcesses}).
   * Returns how many it killed.
   */
  int killStrays() {
    return mode == SandboxMode.NONE ? 0 : StrayProcesses.kill(uid);
  }

  static java.util.Optional<String> which(String command) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, command);
      if (Files.isExecutable(p) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        return java.util.Optional.of(p.toString());
      }
    }
    return java.util.Optional.empty();
  }
}
