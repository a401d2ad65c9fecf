package io.faaspot.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Owners and modes of the files the root agent lays out for the spot's uid (its directories,
 * deployments, requirements, environments): who may read and who may write each.
 */
final class Ownership {
  private Ownership() {}

  static void mode(Path p, String perms) throws IOException {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
  }

  /** Gives a file the owner and group; {@code recursive} never follows symbolic links. */
  static void chown(Path p, int uid, int gid, boolean recursive) throws IOException {
    if (!recursive) {
      Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
      return;
    }
    String failure = ShortCommand.run(List.of("chown", "-R", "-P", uid + ":" + gid, p.toString()));
    if (failure != null) {
      throw new IOException("chown of " + p + " failed: " + failure);
    }
  }
}
