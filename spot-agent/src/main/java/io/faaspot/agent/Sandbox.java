package io.faaspot.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What confines the code the agent runs: function workers and environment builds, both of which are
 * as hostile as each other (pip runs a package's setup.py). Three modes, chosen once at start:
 *
 * <ul>
 *   <li>{@link Mode#BWRAP}: each process runs in a bubblewrap sandbox (own PID, IPC and mount
 *       namespaces; the system read-only; only its own deployment, environment and scratch space
 *       visible; a private, size-bounded {@code /tmp}) under the spot's own uid, with no
 *       capabilities and no way to gain any;
 *   <li>{@link Mode#UID}: where bubblewrap is missing or cannot make namespaces (a container
 *       without {@code CAP_SYS_ADMIN}), the spot's own uid alone: files of other spots and of the
 *       server are closed to it by their permissions, and other uids' processes cannot be signalled
 *       or traced, but the machine's other processes can be listed and its world-writable
 *       directories written;
 *   <li>{@link Mode#NONE}: the agent does not run as root, so it cannot switch users: what it runs
 *       is as privileged as the agent itself. It says so in its log.
 * </ul>
 *
 * In both confined modes the processes of the spot's uid are limited in number (a fork bomb stops
 * at the limit, and only this spot's uid counts against it), in open files and in file size.
 */
final class Sandbox {
  enum Mode {
    BWRAP,
    UID,
    NONE
  }

  /**
   * @param processes most processes and threads the spot's uid may have at once (RLIMIT_NPROC)
   * @param openFiles most open files per process
   * @param fileBytes largest file a process may write
   * @param scratchBytes size of a worker's private /tmp (bubblewrap mode)
   */
  record Limits(int processes, int openFiles, long fileBytes, long scratchBytes) {}

  private static final List<String> ROOT_LINKS =
      List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

  final Mode mode;
  final int uid;
  final int gid;
  private final Limits limits;

  /** The spot's own writable directory: HOME and TMPDIR of builds (and of workers in uid mode). */
  final Path home;

  /** Read-only binds beyond /usr and /etc: the Python installation, pip's local indexes. */
  private final List<Path> extraReadOnly;

  private final String setpriv;

  Sandbox(Mode mode, int uid, int gid, Limits limits, Path home, List<Path> extraReadOnly) {
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
    return new Sandbox(Mode.NONE, -1, -1, new Limits(0, 0, 0, 0), home, List.of());
  }

  boolean confined() {
    return mode != Mode.NONE;
  }

  /** The command that starts a worker of a deployment version. */
  List<String> worker(List<String> command, Path deploymentDir, Path envDir, Path bootstrap) {
    return switch (mode) {
      case NONE -> command;
      case UID -> wrap(asUser(command));
      case BWRAP -> {
        List<String> bw = bwrapBase();
        readOnly(bw, bootstrap);
        readOnly(bw, deploymentDir);
        readOnly(bw, envDir);
        bw.addAll(List.of("--chdir", deploymentDir.toString()));
        bw.addAll(asUser(command));
        yield wrap(bw);
      }
    };
  }

  /** What a worker's environment holds beyond the basics: where it may write. */
  void workerEnvironment(Map<String, String> env) {
    String scratch = mode == Mode.BWRAP ? "/tmp" : home.toString();
    if (mode != Mode.NONE) {
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
        List<String> bw = bwrapBase();
        readWrite(bw, envDir);
        readWrite(bw, home);
        if (requirementsFile != null) {
          readOnly(bw, requirementsFile);
        }
        bw.addAll(List.of("--chdir", home.toString()));
        bw.addAll(asUser(command));
        yield wrap(bw);
      }
    };
  }

  /** HOME and TMPDIR of a build: the spot's own disk, since wheels can be large. */
  void buildEnvironment(Map<String, String> env) {
    if (mode != Mode.NONE) {
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
    return mode == Mode.NONE ? command : asUser(command);
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
    if (mode == Mode.UID) {
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

  private List<String> bwrapBase() {
    List<String> c = new ArrayList<>();
    c.addAll(
        List.of(
            "bwrap",
            "--unshare-pid",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--die-with-parent",
            "--new-session",
            "--ro-bind",
            "/usr",
            "/usr",
            "--ro-bind",
            "/etc",
            "/etc"));
    // Debian and most distributions now link these into /usr; older ones have them as directories.
    for (String link : ROOT_LINKS) {
      Path p = Path.of(link);
      if (Files.isSymbolicLink(p)) {
        try {
          c.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), link));
        } catch (IOException e) {
          Log.warn("cannot read the link %s: %s", link, e.getMessage());
        }
      } else if (Files.isDirectory(p)) {
        c.addAll(List.of("--ro-bind", link, link));
      }
    }
    c.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
    // Before the binds: one under /tmp (a local index, a test's data) would be hidden by it.
    c.addAll(
        List.of(
            "--perms", "1777", "--size", Long.toString(limits.scratchBytes()), "--tmpfs", "/tmp"));
    for (Path p : extraReadOnly) {
      readOnly(c, p);
    }
    return c;
  }

  private static void readOnly(List<String> c, Path p) {
    parents(c, p);
    c.addAll(List.of("--ro-bind", p.toString(), p.toString()));
  }

  private static void readWrite(List<String> c, Path p) {
    parents(c, p);
    c.addAll(List.of("--bind", p.toString(), p.toString()));
  }

  /**
   * The directories leading to a bound path, made passable: bubblewrap would make them mode 0700,
   * which only root inside the sandbox could pass. (An existing one is left as it is.)
   */
  private static void parents(List<String> c, Path p) {
    List<Path> chain = new ArrayList<>();
    for (Path a = p.toAbsolutePath().getParent(); a != null && a.getParent() != null; ) {
      chain.add(0, a);
      a = a.getParent();
    }
    for (Path a : chain) {
      if (!made(c, a.toString())) {
        c.addAll(List.of("--perms", "0755", "--dir", a.toString()));
      }
    }
  }

  /** Whether the command already makes this directory (binds share their parents). */
  private static boolean made(List<String> c, String dir) {
    for (int i = 1; i < c.size(); i++) {
      if (c.get(i).equals(dir) && c.get(i - 1).equals("--dir")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Paths a sandbox must see read-only beyond /usr and /etc: the Python installation (when it is
   * not the system's, e.g. under /opt or a pyenv) and local package indexes pip's settings name
   * with {@code file:} URLs.
   */
  static List<Path> extraReadOnly(Path pythonPrefix, Map<String, String> env) {
    Set<Path> paths = new LinkedHashSet<>();
    if (pythonPrefix != null && !pythonPrefix.startsWith("/usr")) {
      paths.add(pythonPrefix);
    }
    for (var e : env.entrySet()) {
      if (!e.getKey().startsWith("PIP_")) {
        continue;
      }
      for (String part : e.getValue().split("\\s+")) {
        if (part.startsWith("file:")) {
          Path p = Path.of(java.net.URI.create(part).getPath());
          // A PEP 503 index is <root>/simple, whose pages link to files elsewhere under <root>.
          if (p.getFileName() != null && p.getFileName().toString().equals("simple")) {
            p = p.getParent();
          }
          if (Files.exists(p)) {
            paths.add(p);
          }
        }
      }
    }
    return List.copyOf(paths);
  }

  /**
   * Kills processes of the spot's uid that this agent did not start and that no other process of
   * another user holds: workers' children that detached themselves (double fork, now children of
   * init), and whatever an earlier run of this agent left. Returns how many it killed.
   */
  int killStrays() {
    if (mode == Mode.NONE) {
      return 0;
    }
    Set<Long> mine = new java.util.HashSet<>();
    ProcessHandle.current().descendants().forEach(h -> mine.add(h.pid()));
    int killed = 0;
    try (var entries = Files.list(Path.of("/proc"))) {
      for (Path p : entries.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        long pid = Long.parseLong(name);
        if (!mine.contains(pid) && realUid(pid) == uid && orphaned(pid)) {
          if (ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false)) {
            killed++;
          }
        }
      }
    } catch (IOException e) {
      Log.warn("cannot look for stray processes: %s", e.getMessage());
    }
    if (killed > 0) {
      Log.info("killed %d stray process(es) of uid %d", killed, uid);
    }
    return killed;
  }

  /** Whether only this uid's processes stand between the process and init. */
  private boolean orphaned(long pid) {
    long p = pid;
    for (int depth = 0; depth < 64; depth++) {
      long parent = parentPid(p);
      if (parent <= 1) {
        return true;
      }
      if (realUid(parent) != uid) {
        return false;
      }
      p = parent;
    }
    return true;
  }

  private static long parentPid(long pid) {
    return statusField(pid, "PPid:");
  }

  private static int realUid(long pid) {
    return (int) statusField(pid, "Uid:");
  }

  private static long statusField(long pid, String field) {
    try {
      for (String line :
          Files.readAllLines(
              Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).strip().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // The process ended meanwhile.
    }
    return -1;
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
