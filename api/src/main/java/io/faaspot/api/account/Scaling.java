package io.faaspot.api.account;

import io.faaspot.api.web.ApiException;
import java.math.BigDecimal;

/**
 * An account's autoscaling limits, as {@code GET /api/account/scaling} shows them.
 *
 * @param autoscale whether the server sizes the pool from the queue (off: only {@code spots add}
 *     and {@code remove} do)
 * @param minSpots spots kept even when idle (0: scale to zero)
 * @param maxSpots most spots the autoscaler runs at once
 * @param idleMinutes how long a spot may have no work before it is drained and removed
 * @param budgetPerDay most the account's spots may cost a day, in the price table's currency, or
 *     null for no limit
 */
public record Scaling(
    boolean autoscale,
    int minSpots,
    int maxSpots,
    BigDecimal idleMinutes,
    BigDecimal budgetPerDay) {

  private static final BigDecimal MAX_IDLE_MINUTES = BigDecimal.valueOf(525_600);

  /** What the column holds (numeric(12,4)). */
  private static final BigDecimal MAX_BUDGET_PER_DAY = new BigDecimal("99999999.9999");

  /** The numbers as written: 0.0500 (a PATCH's, or the database's scale) is 0.05, and 10 is 10. */
  public Scaling {
    idleMinutes = plain(idleMinutes);
    budgetPerDay = budgetPerDay == null ? null : plain(budgetPerDay);
  }

  private static BigDecimal plain(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  /**
   * @param ceiling the server's most spots per account (faaspot.spots.max-per-account)
   * @throws ApiException 400 naming the first limit that is out of range
   */
  void check(int ceiling) {
    if (minSpots() < 0 || maxSpots() < 0) {
      throw ApiException.badRequest("min_spots and max_spots must be 0 or more");
    }
    if (maxSpots() > ceiling) {
      throw ApiException.badRequest(
          "max_spots must not be more than " + ceiling + " (faaspot.spots.max-per-account)");
    }
    if (minSpots() > maxSpots()) {
      throw ApiException.badRequest(
          "min_spots (" + minSpots() + ") must not be more than max_spots (" + maxSpots() + ")");
    }
    if (idleMinutes().signum() < 0
        || idleMinutes().scale() > 3
        || idleMinutes().compareTo(MAX_IDLE_MINUTES) > 0) {
      throw ApiException.badRequest(
          "idle_minutes must be 0 to "
              + MAX_IDLE_MINUTES
              + " (a year), with at most 3 decimals (0.05 is 3 s)");
    }
    if (budgetPerDay() != null
        && (budgetPerDay().signum() < 0
            || budgetPerDay().scale() > 4
            || budgetPerDay().compareTo(MAX_BUDGET_PER_DAY) > 0)) {
      throw ApiException.badRequest(
          "budget_per_day must be 0 to "
              + MAX_BUDGET_PER_DAY.toPlainString()
              + ", with at most 4 decimals, or null for none");
    }
  }
}
