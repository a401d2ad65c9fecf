package io.faaspot.api.agentapi;

import io.faaspot.api.web.ApiException;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Fields of the agents' JSON requests, read strictly: a malformed one is a 400 naming it. */
final class AgentFields {
  private AgentFields() {}

  static UUID uuid(JsonNode node) {
    if (node == null || !node.isString()) {
      throw ApiException.badRequest("execution ids are strings");
    }
    try {
      return UUID.fromString(node.asString());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("not an execution id: " + node.asString());
    }
  }

  static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }

  static double number(JsonNode body, String field, double dflt, double min, double max) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isNumber() || v.doubleValue() < min || v.doubleValue() > max) {
      throw ApiException.badRequest(field + " must be a number from " + min + " to " + max);
    }
    return v.doubleValue();
  }
}
