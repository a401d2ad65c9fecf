package io.faaspot.scheduler.execution;

import io.faaspot.scheduler.testing.TestPostgres;
import javax.sql.DataSource;

/** The queue contract on the PostgreSQL chosen by the test switch (embedded by default). */
class ExecutionQueueOnEmbeddedPostgresTest extends ExecutionQueueContract {
  @Override
  DataSource newDatabase() {
    return TestPostgres.newDatabase();
  }
}
