package io.faaspot.api.ops;

import io.faaspot.api.config.ExecutionsProperties;
import io.faaspot.scheduler.loop.PeriodicJob;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The operational background jobs: metric gauges and execution retention. */
@Configuration(proxyBeanMethods = false)
class OpsJobs {
  @Bean(destroyMethod = "close")
  PeriodicJob metricGauges(Metrics metrics) {
    return new PeriodicJob(
        "metric-gauges", java.time.Duration.ofSeconds(5), metrics::refreshGauges);
  }

  @Bean
  DeleteOldExecutions deleteOldExecutions(
      JdbcClient jdbc, ExecutionsProperties props, Clock clock) {
    return new DeleteOldExecutions(jdbc, props, clock);
  }

  @Bean(destroyMethod = "close")
  PeriodicJob executionRetention(DeleteOldExecutions job, ExecutionsProperties props) {
    return new PeriodicJob("execution-retention", props.retentionInterval(), job::deleteOnce);
  }
}
