package io.faaspot.scheduler.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Real PostgreSQL for tests, one server per JVM and a fresh migrated database per call. The switch
 * {@code -Dfaaspot.test.postgres=embedded|testcontainers} picks the server: the embedded binaries
 * (default, no Docker needed) or a Testcontainers PostgreSQL (needs Docker).
 */
public final class TestPostgres {
  public static final String SWITCH = "faaspot.test.postgres";

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static Server server;

  private TestPostgres() {}

  /** A JDBC URL template and credentials of a running server. */
  public record Server(String urlPrefix, String user, String password) {
    public String url(String database) {
      return urlPrefix + database;
    }

    /** One database on a server. */
    public record Database(String url, String user, String password) {}
  }

  public static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  public static synchronized Server server() {
    if (server == null) {
      String kind = System.getProperty(SWITCH, "embedded");
      server =
          switch (kind) {
            case "", "embedded" -> embedded();
            case "testcontainers" -> testcontainers();
            default ->
                throw new IllegalStateException(SWITCH + " must be embedded or testcontainers");
          };
    }
    return server;
  }

  /** A new, empty database on the configured server with the schema migrated. */
  public static DataSource newDatabase() {
    return newDatabase(server());
  }

  /** A new, empty database (no schema) on the configured server: its JDBC URL and credentials. */
  public static Server.Database newEmptyDatabase() {
    Server on = server();
    return new Server.Database(on.url(createDatabase(on)), on.user(), on.password());
  }

  public static DataSource newDatabase(Server on) {
    String name = createDatabase(on);
    HikariDataSource ds = pool(on, on.url(name), 8);
    Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    return ds;
  }

  private static String createDatabase(Server on) {
    String name =
        "faaspot_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (HikariDataSource admin = pool(on, on.url("postgres"), 1);
        Connection c = admin.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return name;
  }

  private static HikariDataSource pool(Server on, String url, int size) {
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(url);
    cfg.setUsername(on.user());
    cfg.setPassword(on.password());
    cfg.setMaximumPoolSize(size);
    cfg.setMinimumIdle(1);
    return new HikariDataSource(cfg);
  }

  private static Server embedded() {
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(pg)));
      return new Server(
          "jdbc:postgresql://localhost:" + pg.getPort() + "/", "postgres", "postgres");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }

  /** A Testcontainers PostgreSQL regardless of the switch (for the suites that run on both). */
  public static synchronized Server containerServer() {
    return testcontainers();
  }

  @SuppressWarnings("resource")
  private static Server testcontainers() {
    if (!dockerAvailable()) {
      throw new IllegalStateException(SWITCH + "=testcontainers needs a Docker engine");
    }
    // The image docker-compose.yml runs. Where no registry is reachable (CI), .ci/run builds a
    // stand-in under this name first (docker/ci/base-images.sh).
    PostgreSQLContainer pg = new PostgreSQLContainer("postgres:17");
    pg.start();
    Runtime.getRuntime().addShutdownHook(new Thread(pg::stop));
    String url = pg.getJdbcUrl();
    String prefix = url.substring(0, url.lastIndexOf('/') + 1);
    return new Server(prefix, pg.getUsername(), pg.getPassword());
  }

  private static void closeQuietly(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException ignored) {
      // Shutting down anyway.
    }
  }
}
