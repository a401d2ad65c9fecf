package io.faaspot.api.spot;

import java.time.Instant;
import java.util.UUID;

/**
 * The credential an agent received when it registered for a spot (digest only), as {@link
 * SpotAgentRepository} stores it.
 */
record SpotAgent(
    UUID id,
    UUID spotId,
    byte[] credentialHash,
    String agentVersion,
    String pythonVersion,
    String hostname,
    Instant registeredAt) {
  SpotAgent(
      UUID spotId,
      byte[] credentialHash,
      String agentVersion,
      String pythonVersion,
      String hostname,
      Instant now) {
    this(
        UUID.randomUUID(),
        spotId,
        credentialHash.clone(),
        agentVersion,
        pythonVersion,
        hostname,
        now);
  }
}
