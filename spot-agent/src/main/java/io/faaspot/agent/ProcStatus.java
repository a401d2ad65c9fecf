package io.faaspot.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fields of a process's {@code /proc/<pid>/status}, read fresh each time: -1 once the process has
 * ended (processes come and go while {@link StrayProcesses} looks at them).
 */
final class ProcStatus {
  private ProcStatus() {}

  static long parentPid(long pid) {
    return field(pid, "PPid:");
  }

  static int realUid(long pid) {
    return (int) field(pid, "Uid:");
  }

  private static long field(long pid, String field) {
    try {
      for (String line :
          Files.readAllLines(
              Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).strip().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // The process ended meanwhile.
    }
    return -1;
  }
}
