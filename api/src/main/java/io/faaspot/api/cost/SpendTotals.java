package io.faaspot.api.cost;

import io.faaspot.api.store.Sql;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Every account's spend of today and this month in one query, for the metrics ({@link
 * CostMetrics}); billed as {@link Spend} bills one account's spots, with its hours expression.
 */
@Component
class SpendTotals {
  private final JdbcClient jdbc;
  private final Clock clock;

  SpendTotals(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Per account with spend this month: today's and this month's spend and on-demand. */
  record Totals(
      String account,
      BigDecimal today,
      BigDecimal todayOnDemand,
      BigDecimal month,
      BigDecimal monthOnDemand) {}

  List<Totals> totals() {
    Instant now = clock.instant();
    LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
    return jdbc.sql(
            """
            SELECT a.username,
              coalesce(sum(coalesce(s.hourly_price, 0) * d.hours), 0) AS today,
              coalesce(sum(coalesce(s.on_demand_price, 0) * d.hours), 0) AS today_od,
              coalesce(sum(coalesce(s.hourly_price, 0) * m.hours), 0) AS month,
              coalesce(sum(coalesce(s.on_demand_price, 0) * m.hours), 0) AS month_od
            FROM spots s JOIN accounts a ON a.id = s.account_id
            CROSS JOIN LATERAL (SELECT """
                + " "
                + Spend.HOURS.replace("w.w_end", ":now").replace("w.w_start", ":day")
                + """
                 AS hours) d
            CROSS JOIN LATERAL (SELECT """
                + " "
                + Spend.HOURS.replace("w.w_end", ":now").replace("w.w_start", ":month")
                + """
                 AS hours) m
            WHERE s.launched_at IS NOT NULL AND coalesce(s.terminated_at, :now) > :month
            GROUP BY a.username
            """)
        .param("now", Sql.utc(now))
        .param("day", day.atStartOfDay().atOffset(ZoneOffset.UTC))
        .param("month", day.withDayOfMonth(1).atStartOfDay().atOffset(ZoneOffset.UTC))
        .query(
            (rs, i) ->
                new Totals(
                    rs.getString("username"),
                    rs.getBigDecimal("today"),
                    rs.getBigDecimal("today_od"),
                    rs.getBigDecimal("month"),
                    rs.getBigDecimal("month_od")))
        .list();
  }
}
