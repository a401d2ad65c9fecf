package io.faaspot.api.spot;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The OpenAPI description of {@link SpotAdminController}'s routes, with the old client's quirks it
 * must keep (springdoc reads the annotations from this interface). The controller keeps each
 * route's mapping and bindings beside its logic; a route's summary, body and answers are described
 * here.
 */
@Tag(name = "Admin")
interface SpotAdminApi {
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
      @Parameter(description = "The spot's id (a UUID; `id` in the spot object).") String id);
}
