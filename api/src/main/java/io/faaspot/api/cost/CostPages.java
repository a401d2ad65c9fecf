package io.faaspot.api.cost;

import io.faaspot.api.account.Caller;
import io.faaspot.api.web.ConsoleController;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * What the console's "Spend against on-demand" panel draws: the signed-in account's spot spend per
 * day over the last 30 days beside what the same hours would have cost on demand, from the same
 * {@link Spend} as {@code GET /api/account/costs}.
 */
@ConsoleController
class CostPages {
  private final Spend spend;
  private final Clock clock;

  CostPages(Spend spend, Clock clock) {
    this.spend = spend;
    this.clock = clock;
  }

  record Last30Days(
      List<DayCost> days, BigDecimal spend, BigDecimal onDemand, BigDecimal savings) {}

  @GetMapping("/console/costs/data")
  @ResponseBody
  Last30Days data(@AuthenticationPrincipal Caller caller) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    List<DayCost> days =
        spend.days(caller.accountId(), today.minusDays(29), today).stream()
            .map(DayCost::of)
            .toList();
    BigDecimal spent = days.stream().map(DayCost::spend).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal onDemand =
        days.stream().map(DayCost::onDemand).reduce(BigDecimal.ZERO, BigDecimal::add);
    return new Last30Days(days, spent, onDemand, onDemand.subtract(spent));
  }
}
