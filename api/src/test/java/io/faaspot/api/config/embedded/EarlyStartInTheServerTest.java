package io.faaspot.api.config.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.faaspot.api.testing.ServerTest;
import io.faaspot.scheduler.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** The server on the embedded default runs on the PostgreSQL started as its context began. */
class EarlyStartInTheServerTest extends ServerTest {
  @Autowired ApplicationContext context;

  @Test
  void theServersDatabaseIsTheOneStartedBeforeItsConfigurationWasRead() {
    assumeThat(System.getProperty(TestPostgres.SWITCH)).isNotEqualTo("testcontainers");

    var starting =
        context.getBean(EarlyEmbeddedPostgres.BEAN, EarlyEmbeddedPostgres.Starting.class);

    assertThat(starting.taken()).isTrue();
    assertThat(context.getBean(EmbeddedPostgresServer.class).running()).isTrue();
  }
}
