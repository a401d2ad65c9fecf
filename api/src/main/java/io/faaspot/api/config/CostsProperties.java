package io.faaspot.api.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What spots cost, for the spend per account and day, the savings against on-demand and budgets.
 *
 * @param localHourlyPrice the notional price per hour of a local spot (an agent process here),
 *     counted as its spot price
 * @param priceTable a file of {@code instance-type=on-demand price per hour} lines replacing the
 *     table shipped with the product ({@code prices/on-demand.properties})
 * @param onDemandPrices on-demand prices per hour by instance type, over the table's (e.g. {@code
 *     faaspot.costs.on-demand-prices[t3.micro]=0.0104})
 * @param budgetLookahead a launch is refused when the day's spend so far plus this long of every
 *     running spot and the new one would exceed the account's budget_per_day
 * @param metricsInterval how often the spend gauges are recomputed
 */
@ConfigurationProperties("faaspot.costs")
public record CostsProperties(
    @DefaultValue("0.0125") BigDecimal localHourlyPrice,
    Path priceTable,
    Map<String, BigDecimal> onDemandPrices,
    @DefaultValue("1h") Duration budgetLookahead,
    @DefaultValue("15s") Duration metricsInterval) {

  public CostsProperties {
    onDemandPrices = onDemandPrices == null ? Map.of() : Map.copyOf(onDemandPrices);
  }
}
