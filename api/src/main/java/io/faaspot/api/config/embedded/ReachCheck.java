package io.faaspot.api.config.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database's own user reaches its directory and binaries, tried as that user (group
 * membership and ACLs count as they would for PostgreSQL), with the fix named when it does not.
 */
final class ReachCheck {
  private static final Logger log = LoggerFactory.getLogger(ReachCheck.class);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  private final DbUser user;

  ReachCheck(DbUser user) {
    this.user = user;
  }

  /**
   * A user of its own must reach the database's directory and binaries inside the data directory:
   * that needs search permission (x, not read) on it and on every directory above it.
   */
  void check(Path data, Path binaries) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(data);
    if (perms.add(PosixFilePermission.OTHERS_EXECUTE)) {
      Files.setPosixFilePermissions(data, perms);
      log.info(
          "gave others search permission (o+x, not read) on {} so that the user {} reaches its"
              + " database",
          data,
          user.name());
    }
    Path postgres = binaries.resolve("bin/postgres");
    // Tried as the user itself: group membership and ACLs count as they would for PostgreSQL.
    Map<Path, List<String>> tries =
        Map.of(
            data, List.of(Commands.require("test"), "-x", data.toString()),
            binaries, List.of(postgres.toString(), "--version"));
    for (var attempt : tries.entrySet()) {
      Commands.Result r =
          Commands.run(
              user.command(attempt.getValue(), false), Path.of("/"), null, COMMAND_TIMEOUT);
      if (!r.ok()) {
        Path closed = closedAncestor(attempt.getKey());
        throw new IOException(
            "the user "
                + user.name()
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
}
