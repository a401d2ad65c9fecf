package io.faaspot.api.spot;

import io.faaspot.api.cost.PriceTable;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** A spot as the console's pages show it: its uptime in words and its prices per hour. */
record SpotRow(
    UUID id,
    String ip,
    String state,
    String provider,
    String instanceType,
    String zone,
    long running,
    String uptime,
    BigDecimal hourlyPrice,
    BigDecimal onDemandPrice,
    Instant lastHeartbeat,
    String heldReason) {

  static SpotRow of(Spot s, long running, PriceTable prices, Instant now) {
    String uptime = null;
    if (s.readyAt() != null) {
      Duration up = Duration.between(s.readyAt(), now);
      uptime =
          up.toHours() > 0
              ? up.toHours() + " h " + up.toMinutesPart() + " min"
              : up.toMinutes() + " min " + up.toSecondsPart() + " s";
    }
    return new SpotRow(
        s.id(),
        s.ip(),
        s.state().name(),
        s.provider(),
        s.instanceType(),
        s.availabilityZone(),
        running,
        uptime,
        prices.spotPrice(s.provider(), s.hourlyPrice()),
        prices.onDemand(s.instanceType()).orElse(null),
        s.lastHeartbeatAt(),
        s.heldReason());
  }
}
