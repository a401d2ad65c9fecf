package io.faaspot.api.spot;

import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** A pool task waiting for the reconciler, as {@link PendingTasks} finds it. */
record PendingTask(UUID id, long accountId, UUID spotId, JsonNode args) {}
