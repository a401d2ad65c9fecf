package io.faaspot.agent;

import tools.jackson.databind.JsonNode;

/**
 * A {@link Worker}'s answer to a call: {@code status} Success or Failure, {@code output} any JSON,
 * logs.
 */
record Answer(String status, JsonNode output, String logs) {}
