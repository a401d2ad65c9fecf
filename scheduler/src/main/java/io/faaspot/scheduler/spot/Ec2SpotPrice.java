package io.faaspot.scheduler.spot;

import java.math.BigDecimal;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * The spot price a spot launched at, recorded for its cost. Best effort: a launch does not fail
 * because the price history cannot be read, the spot just has no price.
 */
final class Ec2SpotPrice {
  private static final Logger log = LoggerFactory.getLogger(Ec2SpotPrice.class);

  private Ec2SpotPrice() {}

  /** The latest spot price for a type in a zone, per hour in USD. */
  static Optional<BigDecimal> of(Ec2Client ec2, String type, String zone) {
    try {
      return ec2
          .describeSpotPriceHistory(
              b ->
                  b.instanceTypesWithStrings(type)
                      .availabilityZone(zone)
                      .productDescriptions("Linux/UNIX")
                      .maxResults(1))
          .spotPriceHistory()
          .stream()
          .findFirst()
          .map(p -> new BigDecimal(p.spotPrice()));
    } catch (Ec2Exception | NumberFormatException e) {
      log.debug("no spot price for {} in {}: {}", type, zone, e.getMessage());
      return Optional.empty();
    }
  }
}
