package io.faaspot.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Asks the machine's python about itself, as the agent (no function code is in what it runs). */
final class PythonProbe {
  private PythonProbe() {}

  /** What a short piece of Python prints (run as the agent: no function code is in it). */
  static String output(Path python, String code) throws IOException {
    try {
      Process p =
          new ProcessBuilder(python.toString(), "-c", code).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException(python + " failed: " + out);
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** Whether python runs with these arguments and exits 0. */
  static boolean succeeds(Path python, String... args) {
    try {
      List<String> cmd = new ArrayList<>(List.of(python.toString()));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
