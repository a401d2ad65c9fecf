package io.faaspot.api.execution;

import io.faaspot.api.config.QueueProperties;
import io.faaspot.api.ops.Metrics;
import io.faaspot.scheduler.execution.ExecutionQueries;
import io.faaspot.scheduler.execution.ExecutionQueue;
import io.faaspot.scheduler.execution.QueueSettings;
import io.faaspot.scheduler.execution.ReapExpiredLeases;
import io.faaspot.scheduler.loop.PeriodicJob;
import io.faaspot.scheduler.wakeup.PostgresNotificationListener;
import io.faaspot.scheduler.wakeup.Wakeups;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Assembles the scheduler library's queue, wake-ups and reaper into the server. */
@Configuration(proxyBeanMethods = false)
class QueueConfig {
  @Bean
  Wakeups wakeups() {
    return new Wakeups();
  }

  @Bean
  ExecutionQueue executionQueue(
      JdbcClient jdbc,
      DataSource dataSource,
      Clock clock,
      Wakeups wakeups,
      QueueProperties p,
      Metrics metrics) {
    return new ExecutionQueue(
        jdbc,
        // Its one transaction: a call's insert, handed to its waiting agent before the commit, and
        // only outside a caller's own transaction (inside one, the call is inserted in it).
        new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
        clock,
        wakeups,
        new QueueSettings(p.lease(), p.maxAttempts(), 1000, p.syncResultsBeforeFlush()),
        metrics.queueWrites());
  }

  @Bean
  ExecutionQueries executionQueries(JdbcClient jdbc) {
    return new ExecutionQueries(jdbc);
  }

  @Bean
  ReapExpiredLeases reapExpiredLeases(ExecutionQueue queue) {
    return new ReapExpiredLeases(queue);
  }

  @Bean(initMethod = "start", destroyMethod = "close")
  PostgresNotificationListener postgresNotificationListener(
      DataSource dataSource, Wakeups wakeups) {
    return new PostgresNotificationListener(dataSource, wakeups);
  }

  // Local agents left by an earlier run are taken over before this loop looks at their spots.
  @DependsOn("takeOverLocalSpots")
  @Bean(destroyMethod = "close")
  PeriodicJob leaseReaper(ReapExpiredLeases reaper, QueueProperties p, Metrics metrics) {
    return new PeriodicJob(
        "lease-reaper",
        p.reapInterval(),
        () ->
            metrics.finishedIds(
                reaper.reapOnce().stream()
                    .filter(
                        r -> r.status() == io.faaspot.scheduler.execution.ExecutionStatus.Failure)
                    .map(r -> r.id())
                    .toList()));
  }
}
