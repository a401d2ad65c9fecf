package io.faaspot.api.spot;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface SpotAgentRepository extends JpaRepository<SpotAgent, UUID>, AgentIdentities {
  List<SpotAgent> findBySpotId(UUID spotId);
}
