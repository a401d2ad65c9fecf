package io.faaspot.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The load's clients: platform threads (each keeps its own connection, {@link Api}), named so that
 * a thread dump of the generator reads.
 */
final class ClientThreads {
  private ClientThreads() {}

  /** Runs {@code body} on {@code threads} platform threads and waits for all of them. */
  static void run(int threads, Runnable body) throws InterruptedException {
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      started.add(Thread.ofPlatform().name("bench-client-" + t).start(body));
    }
    for (Thread t : started) {
      t.join();
    }
  }
}
