package io.faaspot.api.execution;

import io.faaspot.scheduler.execution.ExecutionKind;
import io.faaspot.scheduler.execution.ExecutionStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The console's chart data, computed by PostgreSQL from the account's function calls: calls per
 * minute by status, latency percentiles (created to finished) and the queue's depth (calls waiting
 * for a spot), in buckets over the last hour or day.
 */
@Component
class ExecutionCharts {
  /** A chart's time span and the width of each of its buckets. */
  enum Range {
    HOUR(Duration.ofHours(1), Duration.ofMinutes(1)),
    DAY(Duration.ofDays(1), Duration.ofMinutes(10));

    final Duration span;
    final Duration bucket;

    Range(Duration span, Duration bucket) {
      this.span = span;
      this.bucket = bucket;
    }
  }

  /**
   * Columns for uPlot: {@code t} bucket starts (epoch seconds); per status the calls created per
   * minute (averaged over the bucket); latency percentiles in milliseconds of the calls finished in
   * the bucket (null where none); calls waiting at the bucket's end.
   */
  record Series(
      List<Long> t,
      Map<String, List<Double>> perMinute,
      Map<String, List<Double>> latencyMs,
      List<Long> queueDepth) {}

  private final JdbcClient jdbc;
  private final Clock clock;

  ExecutionCharts(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  Series series(long accountId, Range range) {
    long step = range.bucket.toSeconds();
    long end = Math.floorDiv(clock.instant().getEpochSecond(), step) * step + step;
    long start = end - range.span.toSeconds();
    List<Long> t = new ArrayList<>();
    for (long s = start; s < end; s += step) {
      t.add(s);
    }
    int n = t.size();
    OffsetDateTime from = at(start);
    OffsetDateTime to = at(end);
    String bucket = step + " seconds";
    double minutes = step / 60.0;

    Map<String, List<Double>> perMinute = new LinkedHashMap<>();
    for (ExecutionStatus s : ExecutionStatus.values()) {
      perMinute.put(s.name(), zeros(n));
    }
    jdbc.sql(
            """
            SELECT extract(epoch FROM date_bin(:bucket::interval, created_at, :from))::bigint AS b,
                   status, count(*) AS n
            FROM executions
            WHERE account_id = :a AND kind = :kind AND created_at >= :from AND created_at < :to
            GROUP BY 1, 2
            """)
        .param("bucket", bucket)
        .param("from", from)
        .param("to", to)
        .param("a", accountId)
        .param("kind", ExecutionKind.RUN_DEPLOYMENT)
        .query(
            rs -> {
              int i = (int) ((rs.getLong("b") - start) / step);
              if (i >= 0 && i < n) {
                perMinute.get(rs.getString("status")).set(i, rs.getLong("n") / minutes);
              }
            });

    Map<String, List<Double>> latency = new LinkedHashMap<>();
    for (String p : List.of("p50", "p95", "p99")) {
      latency.put(p, nulls(n));
    }
    jdbc.sql(
            """
            SELECT extract(epoch FROM date_bin(:bucket::interval, finished_at, :from))::bigint AS b,
                   percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP
                     (ORDER BY extract(epoch FROM finished_at - created_at) * 1000) AS p
            FROM executions
            WHERE account_id = :a AND kind = :kind AND finished_at >= :from AND finished_at < :to
              AND status IN ('Success', 'Failure')
            GROUP BY 1
            """)
        .param("bucket", bucket)
        .param("from", from)
        .param("to", to)
        .param("a", accountId)
        .param("kind", ExecutionKind.RUN_DEPLOYMENT)
        .query(
            rs -> {
              int i = (int) ((rs.getLong("b") - start) / step);
              Double[] p = (Double[]) rs.getArray("p").getArray();
              if (i >= 0 && i < n) {
                latency.get("p50").set(i, p[0]);
                latency.get("p95").set(i, p[1]);
                latency.get("p99").set(i, p[2]);
              }
            });

    Map<Long, Long> waiting = new HashMap<>();
    // Waiting at an instant: created by then, and neither started nor finished (cancelled) yet.
    jdbc.sql(
            """
            WITH c AS (
              SELECT created_at, started_at, finished_at FROM executions
              WHERE account_id = :a AND kind = :kind AND created_at < :to
                AND (finished_at IS NULL OR finished_at >= :from)
                AND (started_at IS NULL OR started_at >= :from))
            SELECT extract(epoch FROM b.t)::bigint AS b, count(c.created_at) AS n
            FROM generate_series(:from + :bucket::interval, :to, :bucket::interval) AS b(t)
            LEFT JOIN c ON c.created_at <= b.t
              AND (c.started_at IS NULL OR c.started_at > b.t)
              AND (c.finished_at IS NULL OR c.finished_at > b.t)
            GROUP BY 1
            """)
        .param("bucket", bucket)
        .param("from", from)
        .param("to", to)
        .param("a", accountId)
        .param("kind", ExecutionKind.RUN_DEPLOYMENT)
        .query(
            (org.springframework.jdbc.core.RowCallbackHandler)
                rs -> waiting.put(rs.getLong("b") - step, rs.getLong("n")));
    List<Long> depth = t.stream().map(s -> waiting.getOrDefault(s, 0L)).toList();
    return new Series(t, perMinute, latency, depth);
  }

  private static OffsetDateTime at(long epochSecond) {
    return Instant.ofEpochSecond(epochSecond).atOffset(ZoneOffset.UTC);
  }

  private static List<Double> zeros(int n) {
    List<Double> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      l.add(0.0);
    }
    return l;
  }

  private static List<Double> nulls(int n) {
    List<Double> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      l.add(null);
    }
    return l;
  }
}
