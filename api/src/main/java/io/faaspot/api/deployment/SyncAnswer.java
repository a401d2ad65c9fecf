package io.faaspot.api.deployment;

import io.faaspot.api.execution.Awaited;
import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.RequestBodies;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * A sync run's answer once its wait is over: the function's own return value on success, else the
 * error body naming the execution (500 failed, 409 cancelled, 504 still running), as API.md and the
 * old client expect.
 */
final class SyncAnswer {
  private SyncAnswer() {}

  static ResponseEntity<String> of(Awaited row, Duration syncWait, RequestBodies bodies) {
    String id = row.id().toString();
    return switch (row.status()) {
      case Success ->
          ResponseEntity.ok()
              .contentType(MediaType.APPLICATION_JSON)
              .body(row.outputJson() == null ? "null" : row.outputJson());
      case Failure ->
          throw new ApiException(
              HttpStatus.INTERNAL_SERVER_ERROR,
              "function_failed",
              failureText(row.outputJson(), bodies),
              Map.of("execution_id", id, "uuid", id));
      case Cancelled ->
          throw new ApiException(
              HttpStatus.CONFLICT,
              "cancelled",
              "execution " + id + " was cancelled",
              Map.of("execution_id", id, "uuid", id));
      case Pending, Started ->
          throw new ApiException(
              HttpStatus.GATEWAY_TIMEOUT,
              "still_running",
              "no result within "
                  + syncWait.toSeconds()
                  + " s; the call goes on as execution "
                  + id
                  + ": poll GET /api/executions/"
                  + id
                  + " for its result",
              Map.of("execution_id", id, "uuid", id, "status", row.status().name()));
    };
  }

  /** The failure's text (a traceback is stored as a JSON string), or the raw output. */
  private static String failureText(String outputJson, RequestBodies bodies) {
    if (outputJson == null) {
      return "the function failed";
    }
    JsonNode out = bodies.parse(outputJson.getBytes(StandardCharsets.UTF_8));
    return out != null && out.isString() ? out.asString() : outputJson;
  }
}
