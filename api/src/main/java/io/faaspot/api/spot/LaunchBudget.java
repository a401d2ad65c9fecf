package io.faaspot.api.spot;

import io.faaspot.api.account.Account;
import io.faaspot.api.account.AccountRepository;
import io.faaspot.api.config.SpotsProperties;
import io.faaspot.api.cost.Budget;
import io.faaspot.api.cost.CostMetrics;
import io.faaspot.api.cost.PriceTable;
import java.math.BigDecimal;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The daily budget at the one place spots are launched: a spot whose launch would exceed its
 * account's {@code budget_per_day} stays requested, with the reason on it ({@code spots list} shows
 * it) and in the metrics, and the calls wait in the queue. Each pass asks again, so a raised budget
 * (or a new day) launches it.
 */
@Component
class LaunchBudget {
  private static final Logger log = LoggerFactory.getLogger(LaunchBudget.class);

  private final AccountRepository accounts;
  private final Budget budget;
  private final PriceTable prices;
  private final CostMetrics metrics;
  private final SpotLifecycle lifecycle;
  private final JdbcClient jdbc;
  private final SpotsProperties props;

  LaunchBudget(
      AccountRepository accounts,
      Budget budget,
      PriceTable prices,
      CostMetrics metrics,
      SpotLifecycle lifecycle,
      JdbcClient jdbc,
      SpotsProperties props) {
    this.accounts = accounts;
    this.budget = budget;
    this.prices = prices;
    this.metrics = metrics;
    this.lifecycle = lifecycle;
    this.jdbc = jdbc;
    this.props = props;
  }

  /** Whether the spot may be launched now; when not, it is marked held. */
  boolean allows(Spot spot) {
    Account account = accounts.findById(spot.accountId()).orElse(null);
    if (account == null) {
      return true;
    }
    BigDecimal limit = account.scaling(props.maxPerAccount()).budgetPerDay();
    if (limit == null) {
      return true;
    }
    Optional<String> refusal = budget.refusal(spot.accountId(), limit, expectedPrice(spot));
    if (refusal.isEmpty()) {
      return true;
    }
    if (lifecycle.held(spot.id(), refusal.get())) {
      log.info("spot {} of {} not launched: {}", spot.id(), account.username(), refusal.get());
      metrics.launchHeld(account.username());
    }
    return false;
  }

  /** Spots waiting for their budget now, for the gauge. */
  void countHeld() {
    metrics.heldNow(
        jdbc.sql("SELECT count(*) FROM spots WHERE state = 'Requested' AND held_reason IS NOT NULL")
            .query(Long.class)
            .single());
  }

  /**
   * Before launch the provider has not said what the spot costs: a local spot has its notional
   * price, a cloud spot is expected to cost what the provider's last launch did.
   */
  private BigDecimal expectedPrice(Spot spot) {
    BigDecimal known = prices.spotPrice(spot.provider(), null);
    if (known != null) {
      return known;
    }
    return jdbc.sql(
            "SELECT hourly_price FROM spots WHERE provider = :p AND hourly_price IS NOT NULL"
                + " AND launched_at IS NOT NULL ORDER BY launched_at DESC LIMIT 1")
        .param("p", spot.provider())
        .query(BigDecimal.class)
        .optional()
        .orElse(BigDecimal.ZERO);
  }
}
