package io.faaspot.api.deployment;

import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.ReadableJson;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON as a person reads and types it on the console's deployment page: an execution's output shown
 * pretty (a string as its text), and the run form's args checked to be an object.
 */
@Component
class ConsoleJson {
  private final JsonMapper json;

  ConsoleJson(JsonMapper json) {
    this.json = json;
  }

  /** A stored JSON value as the page shows it ({@link ReadableJson}); null stays null. */
  String readable(String raw) {
    return ReadableJson.of(json, raw);
  }

  /** The form's args as compact JSON; 400 unless they are an object (blank is {}). */
  String args(String args) {
    JsonNode node;
    try {
      node = json.readTree(args.isBlank() ? "{}" : args);
    } catch (RuntimeException e) {
      throw ApiException.badRequest("args must be a JSON object, such as {\"name\": \"Ada\"}");
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("args must be a JSON object, such as {\"name\": \"Ada\"}");
    }
    return json.writeValueAsString(node);
  }
}
