package io.faaspot.api.config.embedded;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived thread ({@code embedded-postgres}) that starts the postmaster, waits on it and,
 * when it dies, starts it again after a {@link Backoff}. Apart from {@link EmbeddedPostgresServer}
 * (what the rest of the server holds) because this is the loop and its state.
 *
 * <p>The parent-death signal (PR_SET_PDEATHSIG) fires when the <em>thread</em> that started the
 * process ends, not the JVM: so this one platform thread starts every postmaster and lives as long
 * as the server.
 *
 * <p>It stays whole past 200 lines because its parts share one state: the loop and {@link #stop}
 * hold one lock over the current postmaster and whether the server is stopping, and {@link #start}
 * waits on the loop's first start. Split, that state would span classes.
 */
final class PostmasterSupervisor {
  private static final Logger log = LoggerFactory.getLogger(PostmasterSupervisor.class);
  private static final Duration FAST_SHUTDOWN_WAIT = Duration.ofSeconds(10);

  private final Postmaster.Spec spec;
  private final CompletableFuture<Void> firstStart = new CompletableFuture<>();
  private final AtomicInteger restarts = new AtomicInteger();
  private final List<Runnable> onDeath = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private volatile boolean running;
  private Postmaster current; // guarded by lock
  private boolean stopping; // guarded by lock
  private Thread thread;

  PostmasterSupervisor(Postmaster.Spec spec) {
    this.spec = spec;
  }

  /** Starts the thread; returns once the first postmaster accepts connections. */
  void start(Duration startTimeout) throws IOException {
    thread =
        Thread.ofPlatform()
            .name("embedded-postgres")
            .daemon(true)
            .unstarted(() -> supervise(startTimeout));
    thread.start();
    try {
      firstStart.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the embedded PostgreSQL", e);
    }
  }

  /**
   * Runs {@code action} on this thread each time the postmaster dies unasked, before it is started
   * again.
   */
  void onDeath(Runnable action) {
    onDeath.add(action);
  }

  boolean running() {
    return running;
  }

  int restarts() {
    return restarts.get();
  }

  long pid() {
    synchronized (lock) {
      return current != null && current.isAlive() ? current.pid() : -1;
    }
  }

  /** Stops the postmaster as {@code pg_ctl stop -m fast} would, and then the thread. */
  void stop() throws IOException {
    Postmaster postmaster;
    synchronized (lock) {
      stopping = true;
      postmaster = current;
    }
    if (postmaster != null && postmaster.isAlive()) {
      log.info(
          postmaster.stop(FAST_SHUTDOWN_WAIT)
              ? "stopped the embedded PostgreSQL"
              : "the embedded PostgreSQL did not stop in a fast shutdown and was killed");
    }
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void supervise(Duration startTimeout) {
    Backoff backoff = new Backoff();
    boolean first = true;
    while (true) {
      long startedAt = System.nanoTime();
      try {
        Postmaster postmaster = launch();
        if (postmaster == null) {
          return;
        }
        if (postmaster.awaitReady(first ? startTimeout : null)) {
          running = true;
          log.info(
              first
                  ? "the embedded PostgreSQL accepts connections on 127.0.0.1:{} (pid {}, user {})"
                  : "the embedded PostgreSQL is back on 127.0.0.1:{} (pid {}, user {})",
              spec.port(),
              postmaster.pid(),
              spec.user().separate() ? spec.user().name() : "the server's");
          if (first) {
            first = false;
            firstStart.complete(null);
          }
        } else if (first) {
          failFirstStart(postmaster, startTimeout);
        }
        int exit = waitFor(postmaster);
        running = false;
        if (isStopping()) {
          return;
        }
        log.error(
            "the embedded PostgreSQL (pid {}) died (exit {}); see {}",
            postmaster.pid(),
            exit,
            spec.logFile());
        runOnDeath();
      } catch (IOException | RuntimeException e) {
        running = false;
        if (first) {
          firstStart.completeExceptionally(e);
          return;
        }
        log.error("could not start the embedded PostgreSQL again", e);
      }
      long delay = backoff.delayMillis(Duration.ofNanos(System.nanoTime() - startedAt));
      log.warn(
          "starting the embedded PostgreSQL again in {} ms (restart {})",
          delay,
          restarts.get() + 1);
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        if (isStopping()) {
          return;
        }
      }
      restarts.incrementAndGet();
    }
  }

  /** A new postmaster, unless the server is stopping (then null). */
  private Postmaster launch() throws IOException {
    synchronized (lock) {
      if (stopping) {
        return null;
      }
      current = Postmaster.launch(spec);
      return current;
    }
  }

  private int waitFor(Postmaster postmaster) {
    while (true) {
      try {
        return postmaster.waitFor();
      } catch (InterruptedException e) {
        if (isStopping()) {
          return -1;
        }
      }
    }
  }

  private void failFirstStart(Postmaster postmaster, Duration timeout) throws IOException {
    boolean timedOut = postmaster.isAlive();
    postmaster.stop(FAST_SHUTDOWN_WAIT);
    throw new IOException(
        "the embedded PostgreSQL did not accept connections"
            + (timedOut ? " within " + timeout : "")
            + "; the end of "
            + spec.logFile()
            + ":\n"
            + Postmaster.logTail(spec.logFile(), 20));
  }

  private void runOnDeath() {
    for (Runnable action : onDeath) {
      try {
        action.run();
      } catch (RuntimeException e) {
        log.error("an action on the embedded PostgreSQL's death failed", e);
      }
    }
  }

  private boolean isStopping() {
    synchronized (lock) {
      return stopping;
    }
  }
}
