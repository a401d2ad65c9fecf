package io.faaspot.api.spot;

import io.faaspot.api.web.ApiException;
import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * For the {@code manual} provider (agents the operator starts on machines of their own): issues the
 * one-time registration secret of a requested spot, to start its agent with.
 */
@RestController
class SpotAdminController implements SpotAdminApi {
  private final SpotRepository spots;
  private final SpotRegistrations registrations;

  SpotAdminController(SpotRepository spots, SpotRegistrations registrations) {
    this.spots = spots;
    this.registrations = registrations;
  }

  @PostMapping("/api/admin/spots/{id}/registration")
  @Override
  public Registration issue(@PathVariable String id) {
    UUID spotId;
    try {
      spotId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("no spot with id " + id);
    }
    Spot spot =
        spots.findById(spotId).orElseThrow(() -> ApiException.notFound("no spot with id " + id));
    if (!"manual".equals(spot.provider())) {
      throw ApiException.conflict(
          "spot "
              + id
              + " is launched by the "
              + spot.provider()
              + " provider, not started by hand");
    }
    if (spot.state() != SpotState.Requested && spot.state() != SpotState.Launching) {
      throw ApiException.conflict(
          "spot " + id + " is " + spot.state() + ": its agent already registered");
    }
    String secret = registrations.openRegistration(spotId, null, null);
    return new Registration(spotId, secret, SpotState.Launching.name(), spot.createdAt());
  }
}
