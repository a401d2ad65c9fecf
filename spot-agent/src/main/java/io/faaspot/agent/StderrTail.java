package io.faaspot.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The end of what a worker's process wrote to stderr, which a crash report ends with. The pipe is
 * drained by a thread of its own, so a chatty function cannot block on a full pipe.
 */
final class StderrTail {
  private static final int LIMIT = 8192;

  private final StringBuilder tail = new StringBuilder();

  private StderrTail() {}

  /** Starts draining the process's stderr. */
  static StderrTail of(Process process) {
    StderrTail t = new StderrTail();
    Thread.ofPlatform()
        .daemon()
        .name("worker-stderr-" + process.pid())
        .start(() -> t.drain(process));
    return t;
  }

  String text() {
    synchronized (tail) {
      return tail.toString();
    }
  }

  private void drain(Process process) {
    try (InputStream err = process.getErrorStream()) {
      byte[] buf = new byte[4096];
      int n;
      while ((n = err.read(buf)) > 0) {
        synchronized (tail) {
          tail.append(new String(buf, 0, n, StandardCharsets.UTF_8));
          if (tail.length() > LIMIT) {
            tail.delete(0, tail.length() - LIMIT);
          }
        }
      }
    } catch (IOException ignored) {
      // The process ended.
    }
  }
}
