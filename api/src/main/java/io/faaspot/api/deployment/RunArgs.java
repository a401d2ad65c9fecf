package io.faaspot.api.deployment;

import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A run's args as the old client sends them: a call's query parameters with its JSON body's fields
 * over them, and a bulk's array of args objects in any of its three shapes. Apart from {@link
 * RunController}, which queues the calls, because reading what the client meant is its own task.
 */
@Component
class RunArgs {
  private final RequestBodies bodies;

  RunArgs(RequestBodies bodies) {
    this.bodies = bodies;
  }

  /** Query parameters, then the body's fields over them; as a JSON object's text. */
  String of(HttpServletRequest request) {
    ObjectNode args = bodies.newObject();
    // A form body's fields come here too (Tomcat decodes them), not through RequestBodies.
    request
        .getParameterMap()
        .forEach(
            (k, v) ->
                args.put(
                    RequestBodies.withoutNul(k),
                    v.length == 0 ? "" : RequestBodies.withoutNul(v[0])));
    JsonNode body = bodies.json(request);
    if (body != null && !body.isNull()) {
      if (!body.isObject()) {
        throw ApiException.badRequest(
            "the run's body must be a JSON object of args, not " + RequestBodies.kind(body));
      }
      args.setAll((ObjectNode) body);
    }
    return bodies.mapper().writeValueAsString(args);
  }

  /**
   * The bulk's array: {@code {"values": "<JSON array as a string>"}} (what the client sends),
   * {@code {"values": [...]}}, or a bare array; 413 over {@code maxBulk} elements. The elements are
   * checked one by one by {@link #element}.
   */
  JsonNode bulk(HttpServletRequest request, int maxBulk) {
    JsonNode values = bodies.bulkArray(bodies.json(request), "values");
    if (values == null) {
      throw ApiException.badRequest(
          "expected a JSON array of args objects, or {\"values\": <that array, or it as a string>}");
    }
    if (values.size() > maxBulk) {
      throw ApiException.tooLarge("at most " + maxBulk + " calls per bulk run");
    }
    return values;
  }

  /** Element {@code i} of a bulk as one call's args; 400 unless it is an object. */
  String element(JsonNode v, int i) {
    if (!v.isObject()) {
      throw ApiException.badRequest(
          "element " + i + " of the bulk is " + RequestBodies.kind(v) + "; each must be an object");
    }
    return bodies.mapper().writeValueAsString(v);
  }
}
