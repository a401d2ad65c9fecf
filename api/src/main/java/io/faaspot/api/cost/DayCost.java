package io.faaspot.api.cost;

import java.math.BigDecimal;

/** One UTC day's spot spend beside its on-demand cost, as the costs API and console answer it. */
record DayCost(String day, BigDecimal spend, BigDecimal onDemand, BigDecimal savings) {
  static DayCost of(Spend.Row row) {
    return new DayCost(row.period(), row.spend(), row.onDemand(), row.savings());
  }
}
