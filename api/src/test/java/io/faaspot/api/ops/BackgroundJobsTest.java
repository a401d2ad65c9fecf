package io.faaspot.api.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.ServerTest;
import io.faaspot.scheduler.loop.PeriodicJob;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The background loops start once the server is ready, not while it starts: when its context has
 * been refreshed and the web server started (ApplicationStartedEvent, before the ready event) none
 * of its loops runs yet; in a test, after the ready event, every one does.
 */
@Import(BackgroundJobsTest.StartProbe.class)
class BackgroundJobsTest extends ServerTest {
  /** Each loop of this test's context, and whether it ran when the application had started. */
  static final Map<String, Boolean> STARTED_AT_START = new ConcurrentHashMap<>();

  @TestConfiguration(proxyBeanMethods = false)
  static class StartProbe {
    @Bean
    ApplicationListener<ApplicationStartedEvent> loopsAtStart() {
      return event ->
          event
              .getApplicationContext()
              .getBeansOfType(PeriodicJob.class)
              .forEach((name, job) -> STARTED_AT_START.put(name, job.started()));
    }
  }

  @Autowired Map<String, PeriodicJob> jobs;

  @Test
  void loopsStartOnlyOnceTheServerIsReady() {
    assertThat(jobs)
        .containsOnlyKeys(
            "spotReconciler", "leaseReaper", "metricGauges", "executionRetention", "spendGauges");
    assertThat(STARTED_AT_START).as("probed when the application started").hasSameSizeAs(jobs);
    assertThat(STARTED_AT_START)
        .as("started before the server was ready")
        .doesNotContainValue(true);
    jobs.forEach((name, job) -> assertThat(job.started()).as(name + " once ready").isTrue());
  }
}
