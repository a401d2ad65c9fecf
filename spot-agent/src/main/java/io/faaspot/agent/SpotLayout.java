package io.faaspot.agent;

import static io.faaspot.agent.Ownership.chown;
import static io.faaspot.agent.Ownership.mode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The spot's directory as a root agent lays it out, so that the spot's uid reads only what it must
 * and writes only its own places:
 *
 * <pre>
 * agent dir      root 0711  credential 0600, bootstrap.py 0644 (agent.log: the provider's, 0600)
 *   deployments/ root:spot 0750, files 0640  written by the agent only: no link can be planted
 *   requirements/root:spot 0750              the files builds read
 *   envs/        root 0711                   each environment in it: spot 0700, built by the uid
 *   home/        spot 0700                   HOME and TMPDIR of builds (and of workers in uid mode)
 * </pre>
 */
final class SpotLayout {
  private SpotLayout() {}

  static void layOut(Path dir, Path bootstrap, int uid, int gid) throws IOException {
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
}
