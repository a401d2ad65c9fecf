package io.faaspot.api.spot;

import io.faaspot.api.account.CredentialCache;
import io.faaspot.api.config.ApiProperties;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Agents' credentials as recently accepted (see {@link CredentialCache}): an agent polls and
 * reports many times a second under load. Revoking a spot's credentials on this node forgets them
 * at once.
 */
@Component
class AgentCredentials {
  final CredentialCache<AgentIdentity> cache;
  private final SpotAgentRepository agents;

  AgentCredentials(ApiProperties api, SpotAgentRepository agents) {
    this.cache = new CredentialCache<>(api.authCacheTtl());
    this.agents = agents;
  }

  /**
   * Revokes the spot's agent credentials (in the caller's transaction); this node forgets them at
   * once, and again once that is committed.
   */
  void revokeAll(UUID spotId, Instant now) {
    agents.revokeAll(spotId, now);
    cache.clear();
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              cache.clear();
            }
          });
    }
  }
}
