package io.faaspot.api.config.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL, supervised: one long-lived thread ({@code embedded-postgres}) starts the
 * postmaster, waits on it and, when it dies, starts it again after a backoff. It listens on
 * 127.0.0.1 only and takes passwords only.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  /** A postmaster that ran this long before it died starts the backoff over. */
  private static final Duration STABLE_UPTIME = Duration.ofSeconds(30);

  private static final Duration FAST_SHUTDOWN_WAIT = Duration.ofSeconds(10);

  private final Postmaster.Spec spec;
  private final String password;
  private final CompletableFuture<Void> firstStart = new CompletableFuture<>();
  private final AtomicInteger restarts = new AtomicInteger();
  private final Object lock = new Object();
  private volatile boolean running;
  private Postmaster current; // guarded by lock
  private boolean stopping; // guarded by lock
  private Thread supervisor;

  private EmbeddedPostgresServer(Postmaster.Spec spec, String password) {
    this.spec = spec;
    this.password = password;
  }

  /**
   * Readies {@code <dataDir>/postgres} and starts PostgreSQL on it; returns once it accepts
   * connections.
   */
  static EmbeddedPostgresServer start(Path dataDir, EmbeddedDbProperties props) throws IOException {
    Path data = dataDir.toAbsolutePath().normalize();
    Files.createDirectories(data);
    DbUser user = DbUser.resolve(props.user());
    Path binaries =
        props.binariesDir() == null
            ? PostgresBinaries.unpack(data.resolve("pg-binaries"), true)
            : PostgresBinaries.unpack(props.binariesDir().toAbsolutePath().normalize(), false);
    user.mustReach(data, binaries);
    PasswordFile password = PasswordFile.readOrCreate(data.resolve("postgres-password"));
    Path dir = data.resolve("postgres");
    new PostgresCluster(dir, binaries, user).prepare(password);
    Postmaster.Spec spec =
        new Postmaster.Spec(binaries, dir, data.resolve("postgres.log"), user, freePort());
    EmbeddedPostgresServer server = new EmbeddedPostgresServer(spec, password.value());
    server.startSupervisor(props.startTimeout());
    return server;
  }

  /**
   * The driver refuses any authentication but SCRAM, in which the server proves it knows the
   * password too: whatever takes the port while PostgreSQL restarts gets neither the password
   * (which it would ask for in clear) nor a session.
   */
  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + spec.port() + "/postgres?requireAuth=scram-sha-256";
  }

  String username() {
    return PostgresCluster.SUPERUSER;
  }

  String password() {
    return password;
  }

  int port() {
    return spec.port();
  }

  /** The directory of the binaries it runs. */
  Path binaries() {
    return spec.binaries();
  }

  /** Whether a postmaster runs and accepts connections (false while it is being restarted). */
  public boolean running() {
    return running;
  }

  /** How many times the postmaster was started again after it died. */
  public int restarts() {
    return restarts.get();
  }

  /** The running postmaster's pid, or -1. */
  long pid() {
    synchronized (lock) {
      return current != null && current.isAlive() ? current.pid() : -1;
    }
  }

  /** Stops PostgreSQL as {@code pg_ctl stop -m fast} would, and the thread that supervised it. */
  @Override
  public void close() throws IOException {
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
    supervisor.interrupt();
    try {
      supervisor.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The parent-death signal (PR_SET_PDEATHSIG) fires when the <em>thread</em> that started the
   * process ends, not the JVM: so one platform thread starts every postmaster and lives as long as
   * the server.
   */
  private void startSupervisor(Duration startTimeout) throws IOException {
    supervisor =
        Thread.ofPlatform()
            .name("embedded-postgres")
            .daemon(true)
            .unstarted(() -> supervise(startTimeout));
    supervisor.start();
    try {
      firstStart.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the embedded PostgreSQL", e);
    }
  }

  private void supervise(Duration startTimeout) {
    Duration backoff = FIRST_BACKOFF;
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
      } catch (IOException | RuntimeException e) {
        running = false;
        if (first) {
          firstStart.completeExceptionally(e);
          return;
        }
        log.error("could not start the embedded PostgreSQL again", e);
      }
      if (Duration.ofNanos(System.nanoTime() - startedAt).compareTo(STABLE_UPTIME) > 0) {
        backoff = FIRST_BACKOFF;
      }
      // Equal jitter: half the backoff, plus up to as much again at random.
      long delay =
          backoff.toMillis() / 2 + ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2 + 1);
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
      backoff = backoff.multipliedBy(2);
      if (backoff.compareTo(MAX_BACKOFF) > 0) {
        backoff = MAX_BACKOFF;
      }
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
            + tail(spec.logFile(), 20));
  }

  private boolean isStopping() {
    synchronized (lock) {
      return stopping;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
