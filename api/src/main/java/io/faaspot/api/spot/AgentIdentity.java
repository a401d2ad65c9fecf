package io.faaspot.api.spot;

import java.util.UUID;

/**
 * The authenticated agent behind a request to {@code /agent/v1/**}: its spot, account, and the
 * spot's state when the request arrived (a draining spot is given no new work).
 */
public record AgentIdentity(UUID spotId, long accountId, UUID agentId, SpotState state) {}
