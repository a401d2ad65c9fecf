package io.faaspot.api.execution;

import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.RequestBodies;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Execution ids as callers write them: one in a path (a 36-character UUID, else 404 as an unknown
 * id), or a bulk get's list in any of the shapes the old client and scripts send.
 */
final class ExecutionIds {
  private ExecutionIds() {}

  static UUID parse(String id) {
    try {
      if (id.length() != 36) {
        throw new IllegalArgumentException();
      }
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("no execution with id '" + id + "' (ids are UUIDs)");
    }
  }

  /**
   * Bodies: {@code {"tasks": "[\"id\", ...]"}} (what the client sends: a JSON array inside a
   * string), {@code {"tasks": [...]}}, or a bare array; 413 over {@code maxBulk} ids.
   */
  static List<UUID> bulk(JsonNode body, RequestBodies bodies, int maxBulk) {
    JsonNode ids = bodies.bulkArray(body, "tasks");
    if (ids == null) {
      throw ApiException.badRequest(
          "expected a JSON array of execution ids, or {\"tasks\": <that array as a string>}");
    }
    if (ids.size() > maxBulk) {
      throw ApiException.tooLarge("at most " + maxBulk + " ids per bulk get");
    }
    List<UUID> wanted = new ArrayList<>();
    for (JsonNode id : ids) {
      if (!id.isString()) {
        throw ApiException.badRequest("every execution id must be a string");
      }
      wanted.add(parse(id.asString()));
    }
    return wanted;
  }
}
