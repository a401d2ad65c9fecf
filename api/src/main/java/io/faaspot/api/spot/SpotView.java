package io.faaspot.api.spot;

import java.time.Instant;
import java.util.UUID;

/**
 * A spot as the API shows it; the old client prints {@code ip} and {@code created}. {@code
 * hourly_price} is the spot price per hour (USD) of its type in its zone when it was launched.
 * {@code held_reason} says why a requested spot is not launched yet (its account's daily budget);
 * the old clients print only the columns they know, so an extra field is safe.
 */
public record SpotView(
    String ip,
    Instant created,
    UUID id,
    String state,
    String provider,
    String instanceId,
    String instanceType,
    String availabilityZone,
    Instant readyAt,
    Instant lastHeartbeat,
    java.math.BigDecimal hourlyPrice,
    String heldReason) {

  public static SpotView of(Spot s) {
    return new SpotView(
        s.ip(),
        s.createdAt(),
        s.id(),
        s.state().name(),
        s.provider(),
        s.instanceId(),
        s.instanceType(),
        s.availabilityZone(),
        s.readyAt(),
        s.lastHeartbeatAt(),
        s.hourlyPrice(),
        s.heldReason());
  }
}
