package io.faaspot.scheduler.execution;

import io.faaspot.scheduler.testing.TestPostgres;
import javax.sql.DataSource;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The same contract on a PostgreSQL container, where a Docker engine exists; skipped (reported as
 * such) where it does not.
 */
@EnabledIf(
    value = "io.faaspot.scheduler.testing.TestPostgres#dockerAvailable",
    disabledReason = "no Docker engine here: the Testcontainers PostgreSQL run is skipped")
class ExecutionQueueOnTestcontainersTest extends ExecutionQueueContract {
  private static TestPostgres.Server container;

  @Override
  DataSource newDatabase() {
    synchronized (ExecutionQueueOnTestcontainersTest.class) {
      if (container == null) {
        container = TestPostgres.containerServer();
      }
    }
    return TestPostgres.newDatabase(container);
  }
}
