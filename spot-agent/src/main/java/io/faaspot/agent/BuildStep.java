package io.faaspot.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One step of an environment build (venv, pip), run in the spot's sandbox with pip's clean
 * environment: stopped after the build timeout, and failed with the tail of what it printed.
 */
final class BuildStep {
  private static final int OUTPUT_LIMIT = 20_000;

  private final Sandbox sandbox;
  private final Duration buildTimeout;

  BuildStep(Sandbox sandbox, Duration buildTimeout) {
    this.sandbox = sandbox;
    this.buildTimeout = buildTimeout;
  }

  void run(List<String> command, Path envDir, Path requirementsFile, String what)
      throws BuildFailed, IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(sandbox.build(command, envDir, requirementsFile))
            .redirectErrorStream(true);
    CleanEnvironment.forPip(pb.environment());
    sandbox.buildEnvironment(pb.environment());
    // pip reads the requirements file in the locale's encoding: under latin-1, a byte of a UTF-8
    // character in a comment could end the line where the server's check saw none.
    pb.environment().put("PYTHONUTF8", "1");
    Process p = Spawner.start(pb);
    StringBuilder output = new StringBuilder();
    // A platform thread: a blocking pipe read would pin a virtual thread's carrier.
    Thread reader =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try (InputStream in = p.getInputStream()) {
                    byte[] buf = new byte[8192];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                      synchronized (output) {
                        if (output.length() < OUTPUT_LIMIT * 4) {
                          output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        }
                      }
                    }
                  } catch (IOException ignored) {
                    // The process ended.
                  }
                });
    if (!p.waitFor(buildTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      reader.join(2000);
      throw new BuildFailed(
          what + " took longer than " + buildTimeout.toSeconds() + " s and was stopped",
          tail(output));
    }
    reader.join(5000);
    if (p.exitValue() != 0) {
      throw new BuildFailed(what + " failed (exit code " + p.exitValue() + ")", tail(output));
    }
  }

  private static String tail(StringBuilder output) {
    synchronized (output) {
      String s = output.toString();
      return s.length() <= OUTPUT_LIMIT ? s : "[...]\n" + s.substring(s.length() - OUTPUT_LIMIT);
    }
  }
}
