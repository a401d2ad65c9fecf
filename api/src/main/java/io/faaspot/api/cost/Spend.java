package io.faaspot.api.cost;

import io.faaspot.api.store.Sql;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What an account's spots cost, from their rows alone: each spot is billed from its launch to its
 * termination (or now) at its spot price, and the same hours at its type's on-demand price. Days
 * are UTC days; a spot running over midnight counts in both days for its hours in each. The same
 * for all accounts at once, for the metrics, is {@link SpendTotals}.
 */
@Component
public class Spend {
  /** The hours of a spot within [:from, :to), and its two prices. */
  static final String HOURS =
      """
      greatest(0, extract(epoch FROM least(coalesce(s.terminated_at, :now), :now, w.w_end)
                                    - greatest(s.launched_at, w.w_start)) / 3600.0)
      """;

  private final JdbcClient jdbc;
  private final Clock clock;

  Spend(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** One day's (or month's) costs; {@code savings} is what on-demand would have cost more. */
  public record Row(String period, BigDecimal spend, BigDecimal onDemand) {
    public BigDecimal savings() {
      return onDemand.subtract(spend);
    }
  }

  /** Per UTC day from {@code from} to {@code to}, both included, days without spots as zeros. */
  public List<Row> days(long accountId, LocalDate from, LocalDate to) {
    return periods(accountId, from, to, "1 day", "YYYY-MM-DD");
  }

  /** Per UTC month, for the months that hold {@code from} to {@code to}. */
  public List<Row> months(long accountId, LocalDate from, LocalDate to) {
    return periods(accountId, from.withDayOfMonth(1), to.withDayOfMonth(1), "1 month", "YYYY-MM");
  }

  private List<Row> periods(
      long accountId, LocalDate from, LocalDate to, String step, String format) {
    return jdbc.sql(
            """
            WITH w AS (
              SELECT p AS w_start, p + CAST(:step AS interval) AS w_end
              FROM generate_series(CAST(:from AS timestamp), CAST(:to AS timestamp),
                                   CAST(:step AS interval)) AS p)
            SELECT to_char(w.label, :format) AS period,
                   coalesce(sum(coalesce(s.hourly_price, 0) * h.hours), 0) AS spend,
                   coalesce(sum(coalesce(s.on_demand_price, 0) * h.hours), 0) AS on_demand
            FROM (SELECT w_start AT TIME ZONE 'UTC' AS w_start, w_end AT TIME ZONE 'UTC' AS w_end,
                         w_start AS label FROM w) AS w
            LEFT JOIN spots s ON s.account_id = :account AND s.launched_at IS NOT NULL
                 AND s.launched_at < w.w_end AND coalesce(s.terminated_at, :now) > w.w_start
            CROSS JOIN LATERAL (SELECT """
                + " "
                + HOURS
                + """
                 AS hours) h
            GROUP BY w.label ORDER BY w.label
            """)
        .param("account", accountId)
        .param("from", from.atStartOfDay())
        .param("to", to.atStartOfDay())
        .param("step", step)
        .param("format", format)
        .param("now", Sql.utc(clock.instant()))
        .query(
            (rs, i) ->
                new Row(
                    rs.getString("period"),
                    money(rs.getBigDecimal("spend")),
                    money(rs.getBigDecimal("on_demand"))))
        .list();
  }

  /** Today's spend so far (UTC day) and the price per hour of its spots running now. */
  record Today(BigDecimal spend, BigDecimal runningHourly) {}

  Today today(long accountId) {
    Instant now = clock.instant();
    Instant midnight =
        LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
    return jdbc.sql(
            """
            SELECT coalesce(sum(coalesce(s.hourly_price, 0) * h.hours), 0) AS spend,
                   coalesce(sum(coalesce(s.hourly_price, 0))
                            FILTER (WHERE s.terminated_at IS NULL), 0) AS running
            FROM (SELECT CAST(:midnight AS timestamptz) AS w_start,
                         CAST(:now AS timestamptz) AS w_end) w
            JOIN spots s ON s.account_id = :account AND s.launched_at IS NOT NULL
                 AND coalesce(s.terminated_at, :now) > w.w_start
            CROSS JOIN LATERAL (SELECT """
                + " "
                + HOURS
                + """
                 AS hours) h
            """)
        .param("account", accountId)
        .param("midnight", Sql.utc(midnight))
        .param("now", Sql.utc(now))
        .query((rs, i) -> new Today(rs.getBigDecimal("spend"), rs.getBigDecimal("running")))
        .single();
  }

  static BigDecimal money(BigDecimal v) {
    return v == null ? BigDecimal.ZERO : v.setScale(6, RoundingMode.HALF_UP);
  }
}
