package io.faaspot.api.ops;

import io.faaspot.scheduler.execution.Finished;
import io.faaspot.scheduler.execution.QueueWrites;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The platform's Prometheus metrics: executions finished by status and deployment, invocation
 * latency (created to finished) as a histogram, the queue's writes in the database ({@link
 * #queueWrites()}), queue depth and the age of the oldest pending execution, spots by state, and
 * environment builds on spots. Counters are recorded where things finish; the gauges ({@link
 * MetricGauges}) come from small queries refreshed by {@link #refreshGauges()}.
 */
@Component
public class Metrics {
  private final MeterRegistry registry;
  private final JdbcClient jdbc;
  private final MetricGauges gauges;
  private final Counter environmentBuilds;
  private final Timer[] queueWrites;
  private final Map<UUID, Long> buildsSeen = new ConcurrentHashMap<>();

  /**
   * The buckets of {@code faaspot_queue_write_seconds}: a write on the machine next door takes a
   * fraction of a millisecond, one that waits for a lock or a slow disk tens or hundreds.
   */
  private static final Duration[] WRITE_BUCKETS =
      LongStream.of(
              250, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 10_000, 25_000, 50_000, 100_000,
              250_000, 1_000_000)
          .mapToObj(micros -> Duration.ofNanos(micros * 1_000))
          .toArray(Duration[]::new);

  Metrics(MeterRegistry registry, JdbcClient jdbc) {
    this.registry = registry;
    this.jdbc = jdbc;
    this.gauges = new MetricGauges(registry, jdbc);
    environmentBuilds =
        Counter.builder("faaspot.environment.builds")
            .description("Python environments built on spots")
            .register(registry);
    queueWrites = new Timer[QueueWrites.Write.values().length];
    for (QueueWrites.Write w : QueueWrites.Write.values()) {
      queueWrites[w.ordinal()] =
          Timer.builder("faaspot.queue.write")
              .description(
                  "The queue's writes in the database, each statement with its commit: calls"
                      + " inserted, claimed, their outcomes recorded")
              .tag("write", w.name().toLowerCase(Locale.ROOT))
              .serviceLevelObjectives(WRITE_BUCKETS)
              .register(registry);
    }
  }

  /** Times the queue's writes ({@link QueueWrites}) as {@code faaspot_queue_write_seconds}. */
  public QueueWrites queueWrites() {
    return (write, nanos) -> queueWrites[write.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Executions that just reached a final status, as the statement that finished them saw them. */
  public void finished(List<Finished> finished) {
    finished.forEach(
        f ->
            record(f.kind(), f.deploymentName(), f.status().name(), f.createdAt(), f.finishedAt()));
  }

  /** Executions that just reached a final status elsewhere (cancel, reaper): looked up once. */
  public void finishedIds(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return;
    }
    jdbc.sql(
            "SELECT kind, deployment_name, status, created_at, finished_at"
                + " FROM executions WHERE id = ANY(:ids::uuid[])")
        .param("ids", ids.stream().map(UUID::toString).toArray(String[]::new))
        .query(
            rs -> {
              OffsetDateTime created = rs.getObject("created_at", OffsetDateTime.class);
              OffsetDateTime done = rs.getObject("finished_at", OffsetDateTime.class);
              record(
                  rs.getString("kind"),
                  rs.getString("deployment_name"),
                  rs.getString("status"),
                  created == null ? null : created.toInstant(),
                  done == null ? null : done.toInstant());
            });
  }

  private void record(
      String kind, String deployment, String status, Instant created, Instant done) {
    String name = deployment == null ? "" : deployment;
    Counter.builder("faaspot.executions")
        .description("Executions finished, by status")
        .tag("kind", kind)
        .tag("deployment", name)
        .tag("status", status)
        .register(registry)
        .increment();
    if ("tasks.run_deployment".equals(kind) && created != null && done != null) {
      Timer.builder("faaspot.invocation")
          .description("Function calls from request to result")
          .tag("deployment", name)
          .tag("status", status)
          .publishPercentileHistogram()
          .register(registry)
          .record(Duration.between(created, done));
    }
  }

  /** An agent's running total of environments built; counted once per new build. */
  public void environmentBuilds(UUID spotId, long total) {
    Long before = buildsSeen.put(spotId, total);
    long delta = total - (before == null ? 0 : before);
    if (delta > 0) {
      environmentBuilds.increment(delta);
    }
  }

  /** Re-reads the gauges (queue depth and age, spots by state). */
  public void refreshGauges() {
    gauges.refresh();
  }
}
