package io.faaspot.agent;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts the processes the agent runs, all from one thread that lives as long as the agent. The
 * sandboxes end their processes when their parent goes ({@code bwrap --die-with-parent}, {@code
 * setpriv --pdeathsig}), and Linux takes the parent to be the <em>thread</em> that started them: a
 * runner thread that ends after a while of idleness would take its warm workers with it.
 */
final class Spawner {
  private static final ExecutorService THREAD =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("spawner").factory());

  private Spawner() {}

  static Process start(ProcessBuilder pb) throws IOException, InterruptedException {
    Future<Process> started = THREAD.submit(pb::start);
    try {
      return started.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    }
  }
}
