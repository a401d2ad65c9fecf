package io.faaspot.api.config.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded PostgreSQL as the rest of the server holds it: where to connect, whether it runs,
 * and how to stop it. A {@link PostmasterSupervisor} keeps it running: when the postmaster dies, it
 * starts it again. It listens on 127.0.0.1 only and takes passwords only.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private final Postmaster.Spec spec;
  private final String password;
  private final PostmasterSupervisor supervisor;

  private EmbeddedPostgresServer(Postmaster.Spec spec, String password) {
    this.spec = spec;
    this.password = password;
    this.supervisor = new PostmasterSupervisor(spec);
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
    server.supervisor.start(props.startTimeout());
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
    return supervisor.running();
  }

  /**
   * Runs {@code action} each time the postmaster dies unasked, before it is started again: the pool
   * drops its connections then, since each leads to a backend that is gone or going.
   */
  void whenPostmasterDies(Runnable action) {
    supervisor.onDeath(action);
  }

  /** How many times the postmaster was started again after it died. */
  public int restarts() {
    return supervisor.restarts();
  }

  /** The running postmaster's pid, or -1. */
  long pid() {
    return supervisor.pid();
  }

  /** Stops PostgreSQL as {@code pg_ctl stop -m fast} would, and the thread that supervised it. */
  @Override
  public void close() throws IOException {
    supervisor.stop();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }
}
