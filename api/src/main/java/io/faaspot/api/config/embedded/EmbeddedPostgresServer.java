package io.faaspot.api.config.embedded;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL's postmaster, supervised: a direct child of one long-lived thread ({@code
 * embedded-postgres}) that starts it, waits on it and restarts it, with backoff, when it dies. It
 * listens on 127.0.0.1 only and takes passwords only; its output goes to {@code
 * <data-dir>/postgres.log}.
 */
final class EmbeddedPostgresServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  /** A postmaster that ran this long before it died starts the backoff over. */
  private static final Duration STABLE_UPTIME = Duration.ofSeconds(30);

  private static final Duration FAST_SHUTDOWN_WAIT = Duration.ofSeconds(10);
  private static final long LOG_ROTATE_BYTES = 10L << 20;
  private static final Duration READY_POLL = Duration.ofMillis(20);

  private final Path binaries;
  private final Path dir;
  private final Path logFile;
  private final DbUser user;
  private final int port;
  private final String password;
  private final CompletableFuture<Void> firstStart = new CompletableFuture<>();
  private final AtomicInteger restarts = new AtomicInteger();
  private final Object lock = new Object();
  private volatile boolean running;
  private Process current; // guarded by lock
  private boolean stopping; // guarded by lock
  private Thread supervisor;

  private EmbeddedPostgresServer(
      Path binaries, Path dir, Path logFile, DbUser user, int port, String password) {
    this.binaries = binaries;
    this.dir = dir;
    this.logFile = logFile;
    this.user = user;
    this.port = port;
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
    if (user.separate()) {
      letTheUserReach(data, binaries, user);
    }
    PasswordFile password = PasswordFile.readOrCreate(data.resolve("postgres-password"));
    Path dir = data.resolve("postgres");
    new PostgresCluster(dir, binaries, user).prepare(password);
    EmbeddedPostgresServer server =
        new EmbeddedPostgresServer(
            binaries, dir, data.resolve("postgres.log"), user, freePort(), password.value());
    server.startSupervisor(props.startTimeout());
    return server;
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  String username() {
    return PostgresCluster.SUPERUSER;
  }

  String password() {
    return password;
  }

  int port() {
    return port;
  }

  /** The directory of the binaries it runs. */
  Path binaries() {
    return binaries;
  }

  /** Whether a postmaster runs and accepts connections (false while it is being restarted). */
  boolean running() {
    return running;
  }

  /** How many times the postmaster was restarted after it died. */
  int restarts() {
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
    Process process;
    synchronized (lock) {
      stopping = true;
      process = current;
    }
    if (process != null && process.isAlive()) {
      boolean fast = Commands.stopPostmaster(process.toHandle(), FAST_SHUTDOWN_WAIT);
      log.info(
          fast
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
        Process process = launch();
        if (process == null) {
          return;
        }
        if (awaitReady(process, first ? startTimeout : null)) {
          running = true;
          if (first) {
            log.info(
                "the embedded PostgreSQL accepts connections on 127.0.0.1:{} (pid {}, user {})",
                port,
                process.pid(),
                user.separate() ? user.name() : "the server's");
            firstStart.complete(null);
            first = false;
          } else {
            log.info("the embedded PostgreSQL is back (pid {})", process.pid());
          }
        } else if (first) {
          failFirstStart(process, startTimeout);
          return;
        }
        int exit = waitFor(process);
        running = false;
        if (isStopping()) {
          return;
        }
        log.error(
            "the embedded PostgreSQL (pid {}) died unexpectedly (exit {}); see {}",
            process.pid(),
            exit,
            logFile);
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
          "restarting the embedded PostgreSQL in {} ms (restart {})", delay, restarts.get() + 1);
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        if (isStopping()) {
          return;
        }
      }
      restarts.incrementAndGet();
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  private Process launch() throws IOException {
    rotateLog();
    List<String> postgres = new ArrayList<>();
    postgres.add(binaries.resolve("bin/postgres").toString());
    postgres.add("-D");
    postgres.add(dir.toString());
    for (String setting :
        List.of(
            "port=" + port,
            "listen_addresses=127.0.0.1",
            // No Unix socket: TCP on the loopback, with a password, is the only way in.
            "unix_socket_directories=",
            "password_encryption=scram-sha-256",
            // A commit is on disk before it is answered: an id the server hands out must
            // survive a crash of the database or of the machine (PostgreSQL's own defaults,
            // stated because the data directories of earlier versions ran without them).
            "fsync=on",
            "synchronous_commit=on",
            "max_connections=200",
            "timezone=UTC",
            "log_timezone=UTC")) {
      postgres.add("-c");
      postgres.add(setting);
    }
    ProcessBuilder pb =
        new ProcessBuilder(user.command(postgres, true))
            .directory(binaries.toFile())
            .redirectErrorStream(true)
            .redirectOutput(Redirect.appendTo(logFile.toFile()));
    Commands.environment(pb.environment());
    synchronized (lock) {
      if (stopping) {
        return null;
      }
      current = pb.start();
      return current;
    }
  }

  /**
   * The postmaster writes its state into line 8 of postmaster.pid ("ready" once it accepts
   * connections), which is what {@code pg_ctl start -w} waits for; there is no event to wait on, so
   * this polls it.
   */
  private boolean awaitReady(Process process, Duration timeout) {
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    Path pidFile = dir.resolve("postmaster.pid");
    while (process.isAlive() && System.nanoTime() - deadline < 0) {
      try {
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() >= 8
            && lines.get(0).strip().equals(Long.toString(process.pid()))
            && lines.get(7).strip().equals("ready")) {
          return true;
        }
      } catch (IOException | RuntimeException e) {
        // Not written yet, or being written.
      }
      try {
        Thread.sleep(READY_POLL);
      } catch (InterruptedException e) {
        return false;
      }
    }
    return false;
  }

  private int waitFor(Process process) {
    while (true) {
      try {
        return process.waitFor();
      } catch (InterruptedException e) {
        if (isStopping()) {
          Thread.currentThread().interrupt();
          return -1;
        }
      }
    }
  }

  private void failFirstStart(Process process, Duration timeout) throws IOException {
    if (process.isAlive()) {
      Commands.stopPostmaster(process.toHandle(), FAST_SHUTDOWN_WAIT);
    }
    throw new IOException(
        "the embedded PostgreSQL did not accept connections"
            + (process.isAlive() ? " within " + timeout : "")
            + "; the end of "
            + logFile
            + ":\n"
            + tail(logFile, 20));
  }

  private boolean isStopping() {
    synchronized (lock) {
      return stopping;
    }
  }

  private void rotateLog() throws IOException {
    if (Files.exists(logFile) && Files.size(logFile) > LOG_ROTATE_BYTES) {
      Files.move(
          logFile,
          logFile.resolveSibling(logFile.getFileName() + ".1"),
          StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.exists(logFile)) {
      Files.createFile(logFile, PosixFilePermissions.asFileAttribute(PasswordFile.OWNER_ONLY));
    }
  }

  /**
   * The database's user must reach its directory and binaries inside the data directory: that needs
   * search permission (x, not read) on it and on every directory above it.
   */
  private static void letTheUserReach(Path data, Path binaries, DbUser user) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(data);
    if (perms.add(PosixFilePermission.OTHERS_EXECUTE)) {
      Files.setPosixFilePermissions(data, perms);
      log.info(
          "gave others search permission (o+x, not read) on {} so that the user {} reaches its"
              + " database",
          data,
          user.name());
    }
    Commands.Result r =
        Commands.run(
            user.command(List.of(binaries.resolve("bin/postgres").toString(), "--version"), false),
            binaries,
            null,
            Duration.ofSeconds(30));
    if (!r.ok()) {
      throw new IOException(
          "the user "
              + user.name()
              + " cannot run "
              + binaries.resolve("bin/postgres")
              + " ("
              + r.output().strip()
              + "): every directory above "
              + data
              + " must be searchable by others (chmod o+x), or set faaspot.data-dir elsewhere,"
              + " e.g. under /var/lib");
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
