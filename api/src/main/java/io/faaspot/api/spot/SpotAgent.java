package io.faaspot.api.spot;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The credential an agent received when it registered for a spot (digest only). */
@Entity
@Table(name = "spot_agents")
class SpotAgent {
  @Id private UUID id;

  @Column(name = "spot_id")
  private UUID spotId;

  @Column(name = "credential_hash")
  private byte[] credentialHash;

  @Column(name = "agent_version")
  private String agentVersion;

  @Column(name = "python_version")
  private String pythonVersion;

  private String hostname;

  @Column(name = "registered_at")
  private Instant registeredAt;

  @Column(name = "revoked_at")
  private Instant revokedAt;

  protected SpotAgent() {}

  SpotAgent(
      UUID spotId,
      byte[] credentialHash,
      String agentVersion,
      String pythonVersion,
      String hostname,
      Instant now) {
    this.id = UUID.randomUUID();
    this.spotId = spotId;
    this.credentialHash = credentialHash.clone();
    this.agentVersion = agentVersion;
    this.pythonVersion = pythonVersion;
    this.hostname = hostname;
    this.registeredAt = now;
  }

  void revoke(Instant now) {
    if (revokedAt == null) {
      revokedAt = now;
    }
  }

  UUID id() {
    return id;
  }

  UUID spotId() {
    return spotId;
  }
}
