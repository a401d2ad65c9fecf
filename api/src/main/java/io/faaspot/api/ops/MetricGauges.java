package io.faaspot.api.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The gauges of {@link Metrics}: queue depth, the age of the oldest pending execution and spots by
 * state. Unlike the counters, recorded where things finish, they are read from the database by
 * {@link #refresh()}, which {@link OpsJobs} runs every few seconds.
 */
final class MetricGauges {
  static final List<String> SPOT_STATES = List.of("Requested", "Launching", "Ready", "Draining");

  private final JdbcClient jdbc;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong oldestPendingMillis = new AtomicLong();
  private final Map<String, AtomicLong> spots = new ConcurrentHashMap<>();

  MetricGauges(MeterRegistry registry, JdbcClient jdbc) {
    this.jdbc = jdbc;
    Gauge.builder("faaspot.queue.depth", pending, AtomicLong::get)
        .description("Executions waiting for a spot")
        .register(registry);
    Gauge.builder("faaspot.queue.oldest.pending", oldestPendingMillis, v -> v.get() / 1000.0)
        .description("Age of the oldest pending execution")
        .baseUnit("seconds")
        .register(registry);
    for (String state : SPOT_STATES) {
      AtomicLong n = new AtomicLong();
      spots.put(state, n);
      Gauge.builder("faaspot.spots", n, AtomicLong::get)
          .tag("state", state)
          .description("Spots by state")
          .register(registry);
    }
  }

  void refresh() {
    jdbc.sql(
            "SELECT count(*) AS n, min(created_at) AS oldest FROM executions WHERE status = 'Pending'")
        .query(
            rs -> {
              pending.set(rs.getLong("n"));
              OffsetDateTime oldest = rs.getObject("oldest", OffsetDateTime.class);
              oldestPendingMillis.set(
                  oldest == null
                      ? 0
                      : Math.max(
                          0, Duration.between(oldest.toInstant(), Instant.now()).toMillis()));
            });
    spots.values().forEach(n -> n.set(0));
    jdbc.sql("SELECT state, count(*) AS n FROM spots WHERE state <> 'Terminated' GROUP BY state")
        .query(
            rs -> {
              AtomicLong n = spots.get(rs.getString("state"));
              if (n != null) {
                n.set(rs.getLong("n"));
              }
            });
  }
}
