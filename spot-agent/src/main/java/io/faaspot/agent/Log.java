package io.faaspot.agent;

import java.time.Instant;

/** Plain timestamped lines on stderr: the agent has no logging framework to configure. */
final class Log {
  private Log() {}

  static void info(String message, Object... args) {
    print("INFO ", message, args);
  }

  static void warn(String message, Object... args) {
    print("WARN ", message, args);
  }

  private static void print(String level, String message, Object... args) {
    String text = args.length == 0 ? message : String.format(message, args);
    System.err.println(
        Instant.now() + " " + level + "[" + Thread.currentThread().getName() + "] " + text);
  }
}
