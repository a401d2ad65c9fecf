package io.faaspot.api.config.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.faaspot.api.testing.ServerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL started as the context begins: taken by the bean, or stopped. */
class EarlyEmbeddedPostgresTest {
  private static final EmbeddedDbProperties DB =
      new EmbeddedDbProperties("faaspot-db", Duration.ofSeconds(60), ServerTest.PG_BINARIES);

  @TempDir Path dataDir;

  @Test
  void theBeanTakesTheServerAndTheContextsCloseLeavesItToTheBean() throws Exception {
    var starting = new EarlyEmbeddedPostgres.Starting(dataDir, DB);

    try (EmbeddedPostgresServer server = starting.take(dataDir, DB)) {
      assertThat(server.running()).isTrue();
      assertThat(starting.taken()).isTrue();

      starting.destroy();

      assertThat(server.running()).isTrue();
      assertThat(ProcessHandle.of(server.pid())).hasValueSatisfying(p -> p.isAlive());
    }
  }

  @Test
  void aStartNobodyTakesIsStoppedWhenTheContextCloses() throws Exception {
    var starting = new EarlyEmbeddedPostgres.Starting(dataDir, DB);
    Path pidFile = dataDir.resolve("postgres/postmaster.pid");
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.isReadable(pidFile));
    long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());

    // The bean asked for another data directory: it starts its own, this one is not taken.
    assertThat(starting.take(dataDir.resolve("elsewhere"), DB)).isNull();
    starting.destroy();

    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                ProcessHandle.of(pid).map(ProcessHandle::isAlive).equals(Optional.of(false))
                    || ProcessHandle.of(pid).isEmpty());
    assertThat(starting.taken()).isFalse();
  }
}
