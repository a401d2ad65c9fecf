package io.faaspot.api.spot;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface SpotAgentRepository extends JpaRepository<SpotAgent, UUID> {
  List<SpotAgent> findBySpotId(UUID spotId);

  /** One indexed query per agent request: the credential's spot, if still valid. */
  @Query(
      "select new io.faaspot.api.spot.AgentIdentity(s.id, s.accountId, a.id, s.state) from SpotAgent a, Spot s"
          + " where s.id = a.spotId and a.credentialHash = :digest and a.revokedAt is null"
          + " and s.state <> io.faaspot.api.spot.SpotState.Terminated")
  Optional<AgentIdentity> findIdentity(byte[] digest);
}
