package io.faaspot.api.spot;

import java.util.Optional;

/** The agent behind a credential: a fragment of {@link SpotAgentRepository} in plain SQL. */
interface AgentIdentities {
  /** One indexed query per agent request: the credential's spot, if still valid. */
  Optional<AgentIdentity> findIdentity(byte[] digest);
}
