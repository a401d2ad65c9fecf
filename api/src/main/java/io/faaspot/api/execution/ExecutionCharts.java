package io.faaspot.api.execution;

import io.faaspot.scheduler.execution.ExecutionKind;
import io.faaspot.scheduler.execution.ExecutionStatus;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The console's chart data, computed by PostgreSQL from the account's function calls: calls per
 * minute by status, latency percentiles (created to finished) and the queue's depth (calls waiting
 * for a spot), in buckets over the last hour or day ({@link ChartBuckets}).
 */
@Component
class ExecutionCharts {
  private final JdbcClient jdbc;
  private final Clock clock;

  ExecutionCharts(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  ChartSeries series(long accountId, ChartRange range) {
    ChartBuckets buckets = ChartBuckets.of(range, clock.instant());
    long step = buckets.step();
    double minutes = step / 60.0;

    Map<String, List<Double>> perMinute = new LinkedHashMap<>();
    for (ExecutionStatus s : ExecutionStatus.values()) {
      perMinute.put(s.name(), buckets.filled(0.0));
    }
    jdbc.sql(
            """
            SELECT extract(epoch FROM date_bin(:bucket::interval, created_at, :from))::bigint AS b,
                   status, count(*) AS n
            FROM executions
            WHERE account_id = :a AND kind = :kind AND created_at >= :from AND created_at < :to
            GROUP BY 1, 2
            """)
        .param("bucket", buckets.interval())
        .param("from", buckets.from())
        .param("to", buckets.to())
        .param("a", accountId)
        .param("kind", ExecutionKind.RUN_DEPLOYMENT)
        .query(
            rs -> {
              int i = buckets.index(rs.getLong("b"));
              if (i >= 0) {
                perMinute.get(rs.getString("status")).set(i, rs.getLong("n") / minutes);
              }
            });

    Map<String, List<Double>> latency = new LinkedHashMap<>();
    for (String p : List.of("p50", "p95", "p99")) {
      latency.put(p, buckets.<Double>filled(null));
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
        .param("bucket", buckets.interval())
        .param("from", buckets.from())
        .param("to", buckets.to())
        .param("a", accountId)
        .param("kind", ExecutionKind.RUN_DEPLOYMENT)
        .query(
            rs -> {
              int i = buckets.index(rs.getLong("b"));
              Double[] p = (Double[]) rs.getArray("p").getArray();
              if (i >= 0) {
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
        .param("bucket", buckets.interval())
        .param("from", buckets.from())
        .param("to", buckets.to())
        .param("a", accountId)
        .param("kind", ExecutionKind.RUN_DEPLOYMENT)
        .query(
            (org.springframework.jdbc.core.RowCallbackHandler)
                rs -> waiting.put(rs.getLong("b") - step, rs.getLong("n")));
    List<Long> t = buckets.starts();
    List<Long> depth = t.stream().map(s -> waiting.getOrDefault(s, 0L)).toList();
    return new ChartSeries(t, perMinute, latency, depth);
  }
}
