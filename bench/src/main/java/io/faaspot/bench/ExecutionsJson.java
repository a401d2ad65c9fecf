package io.faaspot.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads only what the load generator needs while it measures, from the server's JSON arrays, with a
 * streaming parser that skips everything else: the ids a {@code bulk_rpc} answered, and each
 * execution's id and status in a {@code POST executions/bulk} answer. Building a whole tree of
 * every execution (its args, output, logs and timings) took most of the poller's CPU, on the cores
 * the server it measures shares; the trees are built after the last result has been seen.
 */
final class ExecutionsJson {
  private ExecutionsJson() {}

  /** The strings of a JSON array of strings; null if {@code json} is anything else. */
  static List<String> strings(byte[] json) {
    try (JsonParser p = Api.JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        return null;
      }
      List<String> out = new ArrayList<>();
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (t != JsonToken.VALUE_STRING) {
          return null;
        }
        out.add(p.getString());
      }
      return out;
    }
  }

  /**
   * Each execution's status by id, from an array of execution objects in the order {@code asked}
   * (an element without a {@code uuid} is taken as the asked id at its place; a {@code null}
   * element, or one without a status, is left out).
   */
  static Map<String, String> statuses(byte[] json, List<String> asked) {
    Map<String, String> byId = new LinkedHashMap<>();
    try (JsonParser p = Api.JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new IllegalArgumentException("not a JSON array");
      }
      int i = 0;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
        if (t != JsonToken.START_OBJECT) {
          p.skipChildren();
          continue;
        }
        String id = null;
        String status = null;
        for (String name = p.nextName(); name != null; name = p.nextName()) {
          JsonToken value = p.nextToken();
          if (value == JsonToken.VALUE_STRING && name.equals("uuid")) {
            id = p.getString();
          } else if (value == JsonToken.VALUE_STRING && name.equals("status")) {
            status = p.getString();
          } else {
            p.skipChildren();
          }
        }
        if (id == null && i < asked.size()) {
          id = asked.get(i);
        }
        if (id != null && status != null) {
          byId.put(id, status);
        }
      }
    }
    return byId;
  }
}
