package io.faaspot.api.config.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.faaspot.api.testing.ServerTest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The embedded PostgreSQL as a hostile neighbour sees it (a function on this machine, under another
 * uid, can find its port) and as crashes leave it: real processes, real PostgreSQL.
 */
class EmbeddedPostgresTest {
  private static final String DB_USER = "faaspot-db";

  @TempDir Path dataDir;

  private EmbeddedPostgresServer start() throws Exception {
    return EmbeddedPostgresServer.start(
        dataDir, new EmbeddedDbProperties(DB_USER, Duration.ofSeconds(60), ServerTest.PG_BINARIES));
  }

  private String password() throws Exception {
    return Files.readString(dataDir.resolve("postgres-password")).strip();
  }

  private static Connection connect(EmbeddedPostgresServer pg, String user, String password)
      throws SQLException {
    return DriverManager.getConnection(pg.jdbcUrl(), user, password);
  }

  @Test
  void onlyThePasswordInThePasswordFileLetsAnyoneIn() throws Exception {
    try (EmbeddedPostgresServer pg = start()) {
      for (String user : List.of("postgres", DB_USER)) {
        assertThatThrownBy(() -> connect(pg, user, null).close())
            .as("%s without a password", user)
            .isInstanceOf(PSQLException.class);
        assertThatThrownBy(() -> connect(pg, user, "not-the-password").close())
            .as("%s with a wrong password", user)
            .isInstanceOf(PSQLException.class)
            .hasMessageContaining("password authentication failed");
      }

      try (Connection c = connect(pg, "postgres", password())) {
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT current_setting('listen_addresses'),"
                        + " current_setting('unix_socket_directories'),"
                        + " current_setting('password_encryption'), current_setting('fsync'),"
                        + " current_setting('synchronous_commit'),"
                        + " current_setting('max_connections')");
        rs.next();
        assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
            .containsExactly("127.0.0.1", "", "scram-sha-256");
        assertThat(List.of(rs.getString(4), rs.getString(5), rs.getString(6)))
            .containsExactly("on", "on", "200");
      }
      assertThat(Files.readString(dataDir.resolve("postgres/pg_hba.conf")))
          .doesNotContain("trust")
          .contains("host all all 127.0.0.1/32 scram-sha-256");
    }
  }

  @Test
  void whatTakesThePortWhilePostgresIsDownIsNotGivenThePassword() throws Exception {
    try (EmbeddedPostgresServer pg = start()) {
      String secret = pg.password();
      try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
        String ours =
            pg.jdbcUrl().replace(":" + pg.port() + "/", ":" + squatter.getLocalPort() + "/");
        String plain = ours.substring(0, ours.indexOf('?'));

        // Without the driver's requireAuth, a squatter that asks for the password gets it.
        Future<String> heard = listenAsking(squatter);
        assertThatThrownBy(() -> DriverManager.getConnection(plain, "postgres", secret).close())
            .isInstanceOf(SQLException.class);
        assertThat(heard.get(10, TimeUnit.SECONDS)).contains(secret);

        heard = listenAsking(squatter);
        assertThatThrownBy(() -> DriverManager.getConnection(ours, "postgres", secret).close())
            .isInstanceOf(PSQLException.class);
        assertThat(heard.get(10, TimeUnit.SECONDS)).doesNotContain(secret);
      }
    }
  }

  /**
   * A fake PostgreSQL on {@code socket}: declines SSL, asks for the password in clear
   * (AuthenticationCleartextPassword) and returns all it heard until the client's next message.
   */
  private static Future<String> listenAsking(ServerSocket socket) {
    CompletableFuture<String> heard = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              ByteArrayOutputStream all = new ByteArrayOutputStream();
              try (Socket s = socket.accept()) {
                s.setSoTimeout(5000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                while (true) {
                  byte[] message = new byte[in.readInt() - 4];
                  in.readFully(message);
                  all.write(message);
                  int code = ByteBuffer.wrap(message).getInt();
                  if (code != 80877103 && code != 80877104) { // SSLRequest, GSSENCRequest
                    break;
                  }
                  out.write('N');
                  out.flush();
                }
                out.write(new byte[] {'R', 0, 0, 0, 8, 0, 0, 0, 3});
                out.flush();
                in.readByte(); // 'p', a PasswordMessage, if the client complies
                byte[] answer = new byte[in.readInt() - 4];
                in.readFully(answer);
                all.write(answer);
              } catch (IOException e) {
                // The client hung up: what it sent until then is the answer.
              }
              heard.complete(all.toString(StandardCharsets.ISO_8859_1));
            });
    return heard;
  }

  @Test
  void theDatabaseBelongsToItsOwnUserAndThePasswordToTheServersAlone() throws Exception {
    assumeThat(DbUser.ownUid()).as("the server runs as root").isZero();
    try (EmbeddedPostgresServer pg = start()) {
      Path pgDir = dataDir.resolve("postgres");
      int dbUid = (Integer) Files.getAttribute(pgDir, "unix:uid");
      List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(pg.pid()), "status"));
      String uids =
          status.stream().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().substring(4);

      assertThat(Files.getOwner(pgDir).getName()).isEqualTo(DB_USER);
      assertThat(perms(pgDir)).isEqualTo("rwx------");
      assertThat(dbUid).isNotZero();
      assertThat(uids.strip().split("\\s+")).containsOnly(Integer.toString(dbUid));
      Path passwordFile = dataDir.resolve("postgres-password");
      assertThat(perms(passwordFile)).isEqualTo("rw-------");
      assertThat(Files.getOwner(passwordFile).getName()).isEqualTo("root");
      assertThat(password()).hasSize(43).matches("[A-Za-z0-9_-]+");
      assertThat(perms(dataDir.resolve("postgres.log"))).isEqualTo("rw-------");
      Path postgres =
          ServerTest.PG_BINARIES.resolve(pg.binaries().getFileName()).resolve("bin/postgres");
      assertThat(Files.getOwner(postgres).getName()).isEqualTo("root");
      assertThat(perms(postgres)).isEqualTo("rwxr-xr-x");
    }
  }

  @Test
  void aDataDirectoryTheDatabasesUserCannotReachIsRefusedNamingTheDirectoryToOpen()
      throws Exception {
    assumeThat(DbUser.ownUid()).as("the server runs as root").isZero();
    Path closed = Files.createDirectory(dataDir.resolve("closed"));
    Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
    Path below = Files.createDirectory(closed.resolve("data"));

    assertThatThrownBy(
            () ->
                EmbeddedPostgresServer.start(
                    below,
                    new EmbeddedDbProperties(
                        DB_USER, Duration.ofSeconds(60), ServerTest.PG_BINARIES)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(closed + " is not searchable by others; chmod o+x " + closed);
    assertThat(below.resolve("postgres")).doesNotExist();
  }

  @Test
  void aDataDirectoryOfAnEarlierVersionKeepsItsDataAndStopsTrustingConnections() throws Exception {
    Path pgDir = dataDir.resolve("postgres");
    try (EmbeddedPostgres old =
        EmbeddedPostgres.builder()
            .setDataDirectory(pgDir)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(false)
            .start()) {
      new JdbcTemplate(old.getPostgresDatabase())
          .execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('from before')");
    }
    assertThat(Files.readString(pgDir.resolve("pg_hba.conf"))).contains("trust");

    try (EmbeddedPostgresServer pg = start()) {
      assertThat(keptRow(pg)).isEqualTo("from before");
      assertThatThrownBy(() -> connect(pg, "postgres", null).close())
          .isInstanceOf(PSQLException.class);
      assertThat(Files.readString(pgDir.resolve("pg_hba.conf"))).doesNotContain("trust");
      if (DbUser.ownUid() == 0) {
        assertThat(Files.getOwner(pgDir.resolve("base")).getName()).isEqualTo(DB_USER);
      }
    }
  }

  @Test
  void aPostmasterLeftRunningByAServerKilledBeforeThisVersionIsTakenOver() throws Exception {
    Path pgDir = dataDir.resolve("postgres");
    // Never closed: its server is gone, as after a kill -9 of the earlier version.
    EmbeddedPostgres old =
        EmbeddedPostgres.builder()
            .setDataDirectory(pgDir)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(false)
            .start();
    new JdbcTemplate(old.getPostgresDatabase())
        .execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('from before')");
    ProcessHandle left = ProcessHandle.of(postmasterPid(pgDir)).orElseThrow();

    try (EmbeddedPostgresServer pg = start()) {
      assertThat(left.isAlive()).isFalse();
      assertThat(keptRow(pg)).isEqualTo("from before");
      assertThatThrownBy(() -> connect(pg, "postgres", null).close())
          .isInstanceOf(PSQLException.class);
    }
  }

  @Test
  void thePostmasterStopsWhenTheServersJvmIsKilledAndTheNextStartSucceeds() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process server =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                LeftRunningServer.class.getName(),
                dataDir.toString())
            .redirectErrorStream(true)
            .start();
    long postmaster;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("postmaster "));
      assertThat(line).as("the child server's postmaster line").isNotNull();
      postmaster = Long.parseLong(line.substring("postmaster ".length()));
    } finally {
      server.destroyForcibly(); // kill -9: no shutdown hook, no close()
    }
    assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
    ProcessHandle left = ProcessHandle.of(postmaster).orElse(null);
    if (left != null) {
      left.onExit().get(15, TimeUnit.SECONDS);
    }

    try (EmbeddedPostgresServer pg = start()) {
      assertThat(pg.running()).isTrue();
      try (Connection c = connect(pg, "postgres", password())) {
        assertThat(c.isValid(5)).isTrue();
      }
    }
  }

  @Test
  void aKilledPostmasterIsRestartedAndThePoolHandsOutNoConnectionToTheDeadOne() throws Exception {
    try (EmbeddedPostgresServer pg = start();
        HikariDataSource ds = (HikariDataSource) new EmbeddedDatabaseConfig().embeddedPool(pg)) {
      assertThat(selectOne(ds)).isEqualTo(1);
      long first = pg.pid();
      // A request that holds a connection through the crash: it hands it back after the restart.
      Connection held = ds.getConnection();
      held.createStatement().execute("SELECT 1");

      ProcessHandle.of(first).orElseThrow().destroyForcibly();

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> pg.restarts() == 1 && pg.running() && pg.pid() != first);
      held.close();
      // Hikari would hand the same connection out again at once (this thread's last, used less
      // than 500 ms ago, so not checked): to the dead postmaster's backend, unless it was evicted.
      assertThat(selectOne(ds)).isEqualTo(1);
    }
  }

  private String keptRow(EmbeddedPostgresServer pg) throws Exception {
    try (Connection c = connect(pg, "postgres", password())) {
      var rs = c.createStatement().executeQuery("SELECT v FROM kept");
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  private static int selectOne(DataSource ds) {
    return new JdbcTemplate(ds).queryForObject("SELECT 1", Integer.class);
  }

  private static long postmasterPid(Path pgDir) throws Exception {
    return Long.parseLong(Files.readAllLines(pgDir.resolve("postmaster.pid")).getFirst().strip());
  }

  private static String perms(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
