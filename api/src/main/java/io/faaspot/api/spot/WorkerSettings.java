package io.faaspot.api.spot;

/** An account's worker bounds and spot count, as the spots API answers a change of them. */
record WorkerSettings(int minWorkers, int maxWorkers, int spots) {}
