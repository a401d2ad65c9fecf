package io.faaspot.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Deletes an environment. What the spot's uid wrote is deleted by that uid (see {@link
 * Sandbox#asSpotUser}); the agent then removes the emptied directory, which is its own.
 */
final class EnvironmentRemoval {
  private final Sandbox sandbox;

  EnvironmentRemoval(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  void remove(Path dir) throws IOException, InterruptedException {
    if (!sandbox.confined()
        || !Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS).equals(sandbox.uid)) {
      // Not confined, or built as root by an earlier version: nothing in it the uid could swap.
      FileTrees.deleteQuietly(dir);
      return;
    }
    Process p =
        Spawner.start(
            new ProcessBuilder(
                    sandbox.asSpotUser(
                        List.of("find", dir.toString(), "-mindepth", "1", "-delete")))
                .redirectErrorStream(true));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("cannot delete " + dir + ": " + out.strip());
    }
    Files.delete(dir);
  }

  void removeQuietly(Path dir) {
    try {
      remove(dir);
    } catch (IOException e) {
      Log.warn("%s", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
