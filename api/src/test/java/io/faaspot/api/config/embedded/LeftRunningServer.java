package io.faaspot.api.config.embedded;

import io.faaspot.api.testing.ServerTest;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A server that runs the embedded PostgreSQL and nothing else, in a JVM of its own that a test
 * kills: prints {@code postmaster <pid>} once PostgreSQL accepts connections, then waits.
 */
public final class LeftRunningServer {
  private LeftRunningServer() {}

  public static void main(String[] args) throws Exception {
    EmbeddedPostgresServer server =
        EmbeddedPostgresServer.start(
            Path.of(args[0]),
            new EmbeddedDbProperties("faaspot-db", Duration.ofSeconds(60), ServerTest.PG_BINARIES));
    System.out.println("postmaster " + server.pid());
    System.out.flush();
    Thread.currentThread().join();
  }
}
