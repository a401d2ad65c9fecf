package io.faaspot.api.spot;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A spot's lifecycle. {@code Requested}: asked for, no VM yet. {@code Launching}: the provider
 * started a VM, its agent has not registered. {@code Ready}: its agent registered and takes work.
 * {@code Draining}: takes no new work (removal, interruption notice). {@code Terminated}: gone.
 */
public enum SpotState {
  Requested,
  Launching,
  Ready,
  Draining,
  Terminated;

  private static final Map<SpotState, Set<SpotState>> ALLOWED =
      Map.of(
          Requested, EnumSet.of(Launching, Ready, Terminated),
          Launching, EnumSet.of(Ready, Terminated),
          Ready, EnumSet.of(Draining, Terminated),
          Draining, EnumSet.of(Terminated),
          Terminated, EnumSet.noneOf(SpotState.class));

  public boolean canBecome(SpotState next) {
    return ALLOWED.get(this).contains(next);
  }

  public boolean live() {
    return this != Terminated;
  }
}
