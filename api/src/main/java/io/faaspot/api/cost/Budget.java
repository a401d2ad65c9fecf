package io.faaspot.api.cost;

import io.faaspot.api.config.CostsProperties;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Whether one more spot fits an account's daily budget. The day's spend so far is known; the rest
 * of the day is not, so a launch must leave room for {@code faaspot.costs.budget-lookahead} of
 * every running spot and the new one: a pool never launches into a budget it would blow within the
 * hour.
 */
@Component
public class Budget {
  private final Spend spend;
  private final CostsProperties props;

  Budget(Spend spend, CostsProperties props) {
    this.spend = spend;
    this.props = props;
  }

  /**
   * Empty when the launch fits, else the reason it is refused (shown on the held spot).
   *
   * @param newSpotHourly what the new spot is expected to cost per hour
   */
  public Optional<String> refusal(
      long accountId, BigDecimal budgetPerDay, BigDecimal newSpotHourly) {
    if (budgetPerDay == null) {
      return Optional.empty();
    }
    Spend.Today today = spend.today(accountId);
    BigDecimal hours =
        BigDecimal.valueOf(props.budgetLookahead().toMillis())
            .divide(BigDecimal.valueOf(3_600_000), MathContext.DECIMAL64);
    BigDecimal hourly =
        today.runningHourly().add(newSpotHourly == null ? BigDecimal.ZERO : newSpotHourly);
    BigDecimal projected = today.spend().add(hourly.multiply(hours));
    if (projected.compareTo(budgetPerDay) <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        "budget: budget_per_day "
            + budgetPerDay.stripTrailingZeros().toPlainString()
            + " would be exceeded (spent today "
            + today.spend().setScale(4, RoundingMode.HALF_UP).toPlainString()
            + ", running spots and this one cost "
            + hourly.setScale(4, RoundingMode.HALF_UP).toPlainString()
            + " per hour); waiting until the budget allows it or is raised");
  }
}
