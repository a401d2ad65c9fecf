package io.faaspot.api.web;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stored JSON value (an execution's args or output) as the console shows it to a person: a JSON
 * string as its text, anything else indented. Shared by the deployment and execution pages.
 */
public final class ReadableJson {
  private ReadableJson() {}

  /** The value made readable; null stays null. */
  public static String of(JsonMapper json, String raw) {
    if (raw == null) {
      return null;
    }
    JsonNode node = json.readTree(raw);
    return node.isString()
        ? node.asString()
        : json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
  }
}
