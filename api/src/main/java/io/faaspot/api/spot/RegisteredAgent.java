package io.faaspot.api.spot;

import java.util.UUID;

/** An agent that just registered for its spot, with the credential it speaks with from now on. */
public record RegisteredAgent(UUID spotId, long accountId, String credential) {}
