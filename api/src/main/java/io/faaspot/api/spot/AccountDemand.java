package io.faaspot.api.spot;

import java.time.Instant;

/**
 * The work of one account, as autoscaling sees it: calls waiting (how many, since when), running.
 */
record AccountDemand(long accountId, int pending, Instant oldestPending, int running) {}
