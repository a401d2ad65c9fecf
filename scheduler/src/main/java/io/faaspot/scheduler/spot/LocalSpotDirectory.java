package io.faaspot.scheduler.spot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A local spot's directory under the server's data directory, with its agent log, and the
 * permissions on the way to them: apart from starting the agent, as they are what walls the spots'
 * functions off from the server's data and from each other.
 */
final class LocalSpotDirectory {
  private LocalSpotDirectory() {}

  /** Creates {@code dir} (a spot's, in {@code spotsDir}) and its log file; answers the log file. */
  static Path prepare(Path spotsDir, Path dir) throws IOException {
    Files.createDirectories(dir);
    // Functions of other spots run as other uids: they may pass through the server's data
    // directory to their own spot's, never list or read it.
    restrict(spotsDir.getParent(), "rwx--x--x");
    restrict(spotsDir, "rwx--x--x");
    restrict(dir, "rwx--x--x");
    Path logFile = dir.resolve(LocalAgentLog.FILE);
    if (!Files.exists(logFile)) {
      Files.createFile(logFile);
    }
    restrict(logFile, "rw-------");
    return logFile;
  }

  private static void restrict(Path p, String perms) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: nothing to restrict.
    }
  }
}
