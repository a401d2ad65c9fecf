package io.faaspot.api.cost;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Spend as Prometheus gauges per account (today and this month, at spot and on-demand prices, and
 * the savings), recomputed by {@link #refresh()}; and the launches the budget held back.
 */
@Component
public class CostMetrics {
  /** Gauges hold micro-units: Micrometer gauges read doubles, the sums are exact decimals. */
  private static final double MICRO = 1_000_000.0;

  private final MeterRegistry registry;
  private final SpendTotals spend;
  private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();
  private final AtomicLong held = new AtomicLong();

  CostMetrics(MeterRegistry registry, SpendTotals spend) {
    this.registry = registry;
    this.spend = spend;
    Gauge.builder("faaspot.spots.held", held, AtomicLong::get)
        .description("Spots asked for but not launched: the account's daily budget holds them")
        .register(registry);
  }

  /** A spot's launch was refused by its account's budget (counted once per spot). */
  public void launchHeld(String account) {
    Counter.builder("faaspot.spots.launches.refused")
        .description("Spot launches refused, by reason")
        .tag("reason", "budget")
        .tag("account", account)
        .register(registry)
        .increment();
  }

  /** How many spots wait for their account's budget now. */
  public void heldNow(long n) {
    held.set(n);
  }

  void refresh() {
    for (SpendTotals.Totals t : spend.totals()) {
      set("faaspot.spend.today", "Spend today (UTC) at spot prices", t.account(), t.today());
      set(
          "faaspot.spend.on_demand.today",
          "What today's spot hours would cost on demand",
          t.account(),
          t.todayOnDemand());
      set(
          "faaspot.spend.savings.today",
          "On-demand minus spot spend, today",
          t.account(),
          t.todayOnDemand().subtract(t.today()));
      set("faaspot.spend.month", "Spend this month (UTC) at spot prices", t.account(), t.month());
      set(
          "faaspot.spend.on_demand.month",
          "What this month's spot hours would cost on demand",
          t.account(),
          t.monthOnDemand());
      set(
          "faaspot.spend.savings.month",
          "On-demand minus spot spend, this month",
          t.account(),
          t.monthOnDemand().subtract(t.month()));
    }
  }

  private void set(String name, String description, String account, java.math.BigDecimal value) {
    AtomicLong v =
        values.computeIfAbsent(
            name + "|" + account,
            k -> {
              AtomicLong n = new AtomicLong();
              Gauge.builder(name, n, x -> x.get() / MICRO)
                  .description(description)
                  .tag("account", account)
                  .register(registry);
              return n;
            });
    v.set(value.movePointRight(6).longValue());
  }
}
