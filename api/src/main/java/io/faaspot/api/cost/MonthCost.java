package io.faaspot.api.cost;

import java.math.BigDecimal;

/** One UTC month's spot spend beside its on-demand cost, as {@code ?per=month} answers it. */
record MonthCost(String month, BigDecimal spend, BigDecimal onDemand, BigDecimal savings) {
  static MonthCost of(Spend.Row row) {
    return new MonthCost(row.period(), row.spend(), row.onDemand(), row.savings());
  }
}
