package io.faaspot.api.spot;

import io.faaspot.api.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * For the {@code manual} provider (agents the operator starts on machines of their own): issues the
 * one-time registration secret of a requested spot, to start its agent with.
 */
@RestController
@Tag(name = "Admin")
class SpotAdminController {
  private final SpotRepository spots;
  private final SpotRegistrations registrations;

  SpotAdminController(SpotRepository spots, SpotRegistrations registrations) {
    this.spots = spots;
    this.registrations = registrations;
  }

  record Registration(UUID spotId, String registrationSecret, String state, Instant created) {}

  @PostMapping("/api/admin/spots/{id}/registration")
  @Operation(
      operationId = "issueSpotRegistration",
      summary = "Issue a manual spot's registration secret",
      description =
          "Admin only, for the `manual` provider: after a user's `PUT /api/spots`, issues the"
              + " requested spot's one-time registration secret, to start its agent with"
              + " (`FAASPOT_URL=... FAASPOT_REGISTRATION_SECRET=fsr_... java -jar"
              + " faaspot-agent.jar`). Each call issues a new secret, which replaces the previous one. 409 when the spot is"
              + " launched by another provider or its agent already registered.")
  Registration issue(
      @Parameter(description = "The spot's id (a UUID; `id` in the spot object).") @PathVariable
          String id) {
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
