package io.faaspot.api.ops;

import io.faaspot.api.config.ExecutionsProperties;
import io.faaspot.scheduler.loop.PeriodicJob;
import java.time.Clock;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The operational background jobs: metric gauges and execution retention. */
@Configuration(proxyBeanMethods = false)
class OpsJobs {
  private static final Logger log = LoggerFactory.getLogger(OpsJobs.class);

  @Bean(initMethod = "start", destroyMethod = "close")
  PeriodicJob metricGauges(Metrics metrics) {
    return new PeriodicJob(
        "metric-gauges", java.time.Duration.ofSeconds(5), metrics::refreshGauges);
  }

  @Bean
  DeleteOldExecutions deleteOldExecutions(
      JdbcClient jdbc, ExecutionsProperties props, Clock clock) {
    return new DeleteOldExecutions(jdbc, props, clock);
  }

  @Bean(initMethod = "start", destroyMethod = "close")
  PeriodicJob executionRetention(DeleteOldExecutions job, ExecutionsProperties props) {
    return new PeriodicJob("execution-retention", props.retentionInterval(), job::deleteOnce);
  }

  /** Deletes finished executions older than the retention, in batches. */
  static final class DeleteOldExecutions {
    private final JdbcClient jdbc;
    private final ExecutionsProperties props;
    private final Clock clock;

    DeleteOldExecutions(JdbcClient jdbc, ExecutionsProperties props, Clock clock) {
      this.jdbc = jdbc;
      this.props = props;
      this.clock = clock;
    }

    int deleteOnce() {
      int total = 0;
      int n;
      do {
        n =
            jdbc.sql(
                    """
                    DELETE FROM executions WHERE id IN (
                      SELECT id FROM executions
                      WHERE status IN ('Success', 'Failure', 'Cancelled') AND finished_at < :cutoff
                      LIMIT 5000)
                    """)
                .param("cutoff", clock.instant().minus(props.retention()).atOffset(ZoneOffset.UTC))
                .update();
        total += n;
      } while (n == 5000);
      if (total > 0) {
        log.info("deleted {} execution(s) finished more than {} ago", total, props.retention());
      }
      return total;
    }
  }
}
