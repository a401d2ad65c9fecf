package io.faaspot.api.testing;

import io.faaspot.scheduler.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that drive the real server over real HTTP. All subclasses share one server
 * (Spring's context cache) and so one database: each test makes its own accounts, so tests never
 * see each other's data.
 *
 * <p>The database follows the test switch {@code faaspot.test.postgres}: {@code embedded} (the
 * default) runs the server exactly as an operator would, on its own embedded PostgreSQL in a fresh
 * data directory; {@code testcontainers} points {@code spring.datasource.url} at a PostgreSQL
 * container.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ServerTest {
  public static final String ADMIN_TOKEN = "fst_test-admin-token-0123456789";

  /**
   * The embedded PostgreSQL's binaries, unpacked once for every test's data directory rather than
   * into each (it takes seconds).
   */
  public static final Path PG_BINARIES = Path.of("target/pg-binaries").toAbsolutePath();

  private static final Path DATA_DIR = tempDir();

  @LocalServerPort protected int port;
  @Autowired protected JdbcClient jdbc;

  @DynamicPropertySource
  static void serverProperties(DynamicPropertyRegistry registry) {
    registry.add("faaspot.data-dir", DATA_DIR::toString);
    registry.add("faaspot.embedded-db.binaries-dir", PG_BINARIES::toString);
    registry.add("faaspot.admin-token", () -> ADMIN_TOKEN);
    registry.add("faaspot.api.max-request-bytes", () -> "1048576");
    registry.add("faaspot.api.sync-wait", () -> "5s");
    // These tests play the agent themselves (TestAgent): the server launches nothing, and the
    // registration secret of a spot comes from SpotRegistrations, as the manual provider's does.
    registry.add("faaspot.spots.provider", () -> "manual");
    registry.add("faaspot.spots.reconcile-interval", () -> "200ms");
    registry.add("faaspot.spots.drain-timeout", () -> "3s");
    // Every test here is a client on 127.0.0.1, and many check that bad credentials get 401: with
    // the default per-address limit they would soon all get 429. AuthThrottleTest tests the limit.
    registry.add("faaspot.api.auth-throttle.max-failures-per-address", () -> "1000000");
    if ("testcontainers".equals(System.getProperty(TestPostgres.SWITCH))) {
      TestPostgres.Server.Database db = TestPostgres.newEmptyDatabase();
      registry.add("spring.datasource.url", db::url);
      registry.add("spring.datasource.username", db::user);
      registry.add("spring.datasource.password", db::password);
    }
  }

  protected Http http() {
    return new Http("http://127.0.0.1:" + port);
  }

  /** A new account with its own token, through the admin API. */
  protected Http.User newUser(String prefix) {
    return http().newUser(ADMIN_TOKEN, prefix);
  }

  protected Http.User admin() {
    return new Http.User(http(), "admin", ADMIN_TOKEN);
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("faaspot-test-data");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
