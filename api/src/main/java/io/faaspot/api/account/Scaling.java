package io.faaspot.api.account;

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
    BigDecimal budgetPerDay) {}
