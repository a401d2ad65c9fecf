package io.faaspot.api.config.embedded;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system user PostgreSQL runs as. A server running as root runs it as a dedicated user that no
 * function runs as, so that a function can neither read its files nor signal it; any other server
 * runs it as itself.
 *
 * @param name the user's name; null when PostgreSQL shares the server's uid
 * @param uid its uid
 * @param gid its primary group
 */
record DbUser(String name, int uid, int gid) {
  private static final Logger log = LoggerFactory.getLogger(DbUser.class);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  /** Whether PostgreSQL runs as a user of its own rather than as the server's. */
  boolean separate() {
    return name != null;
  }

  /** The user to run PostgreSQL as: {@code name} (created if missing) when this server is root. */
  static DbUser resolve(String name) throws IOException {
    int self = ownUid();
    if (self != 0) {
      log.info(
          "the server does not run as root: the embedded PostgreSQL runs as the server's own uid"
              + " {} and shares it",
          self);
      if (Commands.which("setpriv") == null) {
        log.warn(
            "setpriv (util-linux) not found: the embedded PostgreSQL will outlive a server that"
                + " dies abruptly, until the next start takes it over");
      }
      return new DbUser(
          null, self, (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid"));
    }
    Commands.require("setpriv");
    if (!exists(name)) {
      create(name);
    }
    return new DbUser(name, id(name, "-u"), id(name, "-g"));
  }

  /**
   * The command line that runs {@code command} as this user; with {@code dieWithParent} the process
   * also gets SIGINT (PostgreSQL's fast shutdown) when the thread that started it ends, which it
   * does when the server's JVM dies, however abruptly.
   */
  List<String> command(List<String> command, boolean dieWithParent) throws IOException {
    List<String> line = new ArrayList<>();
    String setpriv = separate() ? Commands.require("setpriv") : Commands.which("setpriv");
    if (setpriv != null && (separate() || dieWithParent)) {
      line.add(setpriv);
      if (separate()) {
        line.add("--reuid=" + uid);
        line.add("--regid=" + gid);
        line.add("--init-groups");
      }
      if (dieWithParent) {
        line.add("--pdeathsig");
        line.add("SIGINT");
      }
      line.add("--");
    }
    line.addAll(command);
    return line;
  }

  /** Makes this user the owner of a file or directory (nothing to do when it is the server). */
  void own(Path path) throws IOException {
    if (separate()) {
      Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }
  }

  boolean owns(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS) == uid;
  }

  /**
   * Gives a whole tree to this user, without following links; the top directory last, so that a
   * tree whose top is owned by the user was given entirely even if an earlier run was cut short.
   *
   * @return how many files and directories changed owner
   */
  int ownTree(Path top) throws IOException {
    int[] changed = {0};
    Files.walkFileTree(
        top,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            take(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            take(dir);
            return FileVisitResult.CONTINUE;
          }

          private void take(Path p) throws IOException {
            if (!owns(p)) {
              own(p);
              changed[0]++;
            }
          }
        });
    return changed[0];
  }

  /**
   * A user of its own must reach the database's directory and binaries inside the data directory:
   * that needs search permission (x, not read) on it and on every directory above it.
   */
  void mustReach(Path data, Path binaries) throws IOException {
    if (!separate()) {
      return;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(data);
    if (perms.add(PosixFilePermission.OTHERS_EXECUTE)) {
      Files.setPosixFilePermissions(data, perms);
      log.info(
          "gave others search permission (o+x, not read) on {} so that the user {} reaches its"
              + " database",
          data,
          name);
    }
    Path postgres = binaries.resolve("bin/postgres");
    // Tried as the user itself: group membership and ACLs count as they would for PostgreSQL.
    Map<Path, List<String>> tries =
        Map.of(
            data, List.of(Commands.require("test"), "-x", data.toString()),
            binaries, List.of(postgres.toString(), "--version"));
    for (var attempt : tries.entrySet()) {
      Commands.Result r =
          Commands.run(command(attempt.getValue(), false), Path.of("/"), null, COMMAND_TIMEOUT);
      if (!r.ok()) {
        Path closed = closedAncestor(attempt.getKey());
        throw new IOException(
            "the user "
                + name
                + " cannot reach "
                + attempt.getKey()
                + (closed == null
                    ? " (" + r.output().strip() + ")"
                    : ": "
                        + closed
                        + " is not searchable by others; chmod o+x "
                        + closed
                        + " (search only, not read)")
                + ", or set faaspot.data-dir elsewhere, e.g. under /var/lib");
      }
    }
  }

  /** The nearest directory above {@code path} that others may not search, if any. */
  private static Path closedAncestor(Path path) throws IOException {
    for (Path dir = path.getParent(); dir != null; dir = dir.getParent()) {
      if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
        return dir;
      }
    }
    return null;
  }

  static int ownUid() throws IOException {
    // The owner of /proc/self is the process's effective uid.
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }

  private static boolean exists(String name) throws IOException {
    return Commands.run(List.of(Commands.require("id"), "-u", name), null, null, COMMAND_TIMEOUT)
        .ok();
  }

  private static void create(String name) throws IOException {
    List<String> useradd =
        List.of(
            Commands.require("useradd"),
            "--system",
            "--user-group",
            "--no-create-home",
            "--home-dir",
            "/nonexistent",
            "--shell",
            "/usr/sbin/nologin",
            name);
    Commands.Result r = Commands.run(useradd, null, null, COMMAND_TIMEOUT);
    // Another server starting at the same moment may have made it first.
    if (!r.ok() && !exists(name)) {
      throw new IOException("useradd " + name + " failed: " + r.output().strip());
    }
    log.info("created the system user {} for the embedded PostgreSQL", name);
  }

  private static int id(String name, String which) throws IOException {
    Commands.Result r =
        Commands.run(List.of(Commands.require("id"), which, name), null, null, COMMAND_TIMEOUT);
    if (!r.ok()) {
      throw new IOException("id " + which + " " + name + ": " + r.output().strip());
    }
    return Integer.parseInt(r.output().strip());
  }
}
