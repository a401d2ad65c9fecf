package io.faaspot.api.account;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named daemon threads that run at the lowest CPU priority the OS gives (Linux: nice 19, set by
 * {@code renice} on the thread's own id), so that whatever else is runnable, token calls included,
 * goes first. Java's own thread priorities are ignored on Linux, hence the detour; where it fails
 * (no /proc, no renice) the threads run at normal priority, still capped by their number.
 */
final class LowPriorityThreads implements ThreadFactory {
  private static final Logger log = LoggerFactory.getLogger(LowPriorityThreads.class);

  private final ThreadFactory named;

  LowPriorityThreads(String prefix) {
    this.named = Thread.ofPlatform().name(prefix, 1).daemon().factory();
  }

  @Override
  public Thread newThread(Runnable task) {
    return named.newThread(
        () -> {
          lowerOwnPriority();
          task.run();
        });
  }

  private static void lowerOwnPriority() {
    try {
      // "<pid>/task/<tid>", read by this very thread: its id as the kernel knows it.
      Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
      Process renice =
          new ProcessBuilder("renice", "-n", "19", "-p", self.getFileName().toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!renice.waitFor(5, TimeUnit.SECONDS) || renice.exitValue() != 0) {
        renice.destroy();
        log.info("{} keeps its normal CPU priority: renice failed", Thread.currentThread());
      }
    } catch (IOException | UnsupportedOperationException e) {
      log.info("{} keeps its normal CPU priority: {}", Thread.currentThread(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
