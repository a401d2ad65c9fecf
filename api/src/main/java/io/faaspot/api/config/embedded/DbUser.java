package io.faaspot.api.config.embedded;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
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
    SystemAccounts.ensure(name);
    return new DbUser(name, SystemAccounts.id(name, "-u"), SystemAccounts.id(name, "-g"));
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
   * A user of its own must reach the database's directory and binaries inside the data directory:
   * that needs search permission (x, not read) on it and on every directory above it.
   */
  void mustReach(Path data, Path binaries) throws IOException {
    if (separate()) {
      new ReachCheck(this).check(data, binaries);
    }
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

  static int ownUid() throws IOException {
    // The owner of /proc/self is the process's effective uid.
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }
}
