package io.faaspot.bench;

import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;

/**
 * The server's answer to one {@link Api} request; its body is kept as the bytes that came, and
 * decoded or parsed only when asked: the poller reads large bodies with a streaming parser ({@link
 * ExecutionsJson}) instead.
 */
record Response(int status, byte[] bytes) {
  boolean ok() {
    return status == 200;
  }

  String body() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  JsonNode json() {
    return Api.JSON.readTree(bytes);
  }

  @Override
  public String toString() {
    String b = body();
    return status + " " + (b.length() > 300 ? b.substring(0, 300) + "…" : b);
  }
}
