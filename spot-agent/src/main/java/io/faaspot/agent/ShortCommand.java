package io.faaspot.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A short command run at start (a probe of the sandbox, a recursive chown) whose only answer is
 * whether it worked, and if not, what it said.
 */
final class ShortCommand {
  private ShortCommand() {}

  /** Runs the command; null if it succeeded, else what it said. */
  static String run(List<String> command) {
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
}
