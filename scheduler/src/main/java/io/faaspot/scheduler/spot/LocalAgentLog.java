package io.faaspot.scheduler.spot;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A local agent's log file in its spot directory, where its output goes: its end is what explains a
 * spot that failed to start or register.
 */
final class LocalAgentLog {
  static final String FILE = "agent.log";

  /** How much of the end of the log a diagnosis shows. */
  private static final int TAIL_BYTES = 4000;

  private LocalAgentLog() {}

  /** The end of the log in the spot directory {@code dir}, if there is one. */
  static Optional<String> tail(Path dir) {
    Path logFile = dir.resolve(FILE);
    if (!Files.exists(logFile)) {
      return Optional.empty();
    }
    try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
      long start = Math.max(0, f.length() - TAIL_BYTES);
      f.seek(start);
      byte[] bytes = new byte[(int) (f.length() - start)];
      f.readFully(bytes);
      return Optional.of("The end of its log:\n" + new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
