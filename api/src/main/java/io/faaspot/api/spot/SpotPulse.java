package io.faaspot.api.spot;

/** What a spot's heartbeat reads back: its state now and its account's worker bounds. */
public record SpotPulse(SpotState state, int minWorkers, int maxWorkers) {}
