package io.faaspot.api.execution;

import io.faaspot.api.account.Caller;
import io.faaspot.api.config.ApiProperties;
import io.faaspot.api.ops.Metrics;
import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.RequestBodies;
import io.faaspot.scheduler.execution.ExecutionQueries;
import io.faaspot.scheduler.execution.ExecutionQueue;
import io.faaspot.scheduler.execution.ExecutionRow;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** API.md section 4: list, get, cancel and bulk-get executions of the caller's account. */
@RestController
@RequestMapping("/api/executions")
@Tag(
    name = "Executions",
    description =
        "Every asynchronous task is an execution: function runs (`tasks.run_deployment`) and"
            + " management tasks (`tasks.create_deployment`, `tasks.create_spot`, ...). `status`"
            + " is `Pending`, `Started`, `Success`, `Failure` or `Cancelled`; the client polls"
            + " every 3 s until it is final, then prints `output` (on failure the error text).")
class ExecutionController {
  private final ExecutionQueries queries;
  private final ExecutionQueue queue;
  private final RequestBodies bodies;
  private final JdbcClient jdbc;
  private final ApiProperties props;
  private final Metrics metrics;

  ExecutionController(
      ExecutionQueries queries,
      ExecutionQueue queue,
      RequestBodies bodies,
      JdbcClient jdbc,
      ApiProperties props,
      Metrics metrics) {
    this.queries = queries;
    this.queue = queue;
    this.bodies = bodies;
    this.jdbc = jdbc;
    this.props = props;
    this.metrics = metrics;
  }

  @GetMapping
  @Operation(
      operationId = "listExecutions",
      summary = "List executions",
      description =
          "A bare JSON array, newest first; the client prints `name`, `status`, `output`,"
              + " `uuid`, `created`. Only unfinished ones unless `include_completed` is true.")
  List<ExecutionView> list(
      @AuthenticationPrincipal Caller caller,
      @Parameter(
              description =
                  "`True`, `true`, `1`, `yes` or `on` to include finished executions (the client"
                      + " sends `True` or `False`).",
              example = "True")
          @RequestParam(name = "include_completed", required = false)
          String includeCompleted,
      @Parameter(description = "Only the executions of this deployment (404 if unknown).")
          @RequestParam(name = "deployment", required = false)
          String deployment,
      @Parameter(
              description =
                  "At most this many (1 to `faaspot.api.max-list-size`, which is also the"
                      + " default).")
          @RequestParam(name = "limit", required = false)
          Integer limit,
      @Parameter(description = "Skip this many first.")
          @RequestParam(name = "offset", required = false)
          Integer offset) {
    Long deploymentId = null;
    if (deployment != null && !deployment.isEmpty()) {
      deploymentId =
          jdbc.sql("SELECT id FROM deployments WHERE account_id = :a AND name = :n")
              .param("a", caller.accountId())
              .param("n", deployment)
              .query(Long.class)
              .optional()
              .orElseThrow(() -> ApiException.notFound("no deployment named '" + deployment + "'"));
    }
    int size = limit == null ? props.maxListSize() : limit;
    if (size < 1 || size > props.maxListSize() || (offset != null && offset < 0)) {
      throw ApiException.badRequest(
          "limit must be 1 to " + props.maxListSize() + " and offset 0 or more");
    }
    return queries
        .list(
            caller.accountId(),
            truthy(includeCompleted),
            deploymentId,
            size,
            offset == null ? 0 : offset)
        .stream()
        .map(ExecutionView::of)
        .toList();
  }

  @GetMapping("/{id}")
  @Operation(
      operationId = "getExecution",
      summary = "Get an execution",
      description =
          "What `--wait` polls. `output` is the function's return value once `Success`, the error"
              + " text (traceback) once `Failure`. 404 for an unknown or malformed id.")
  ExecutionView get(
      @AuthenticationPrincipal Caller caller,
      @Parameter(
              description = "The execution id (a UUID).",
              schema = @Schema(type = "string", format = "uuid"))
          @PathVariable
          String id) {
    return ExecutionView.of(
        queries.find(caller.accountId(), parseId(id)).orElseThrow(() -> unknown(id)));
  }

  /** 409 when it had already finished, also when it was cancelled before (README). */
  @DeleteMapping("/{id}")
  @Operation(
      operationId = "cancelExecution",
      summary = "Cancel an execution",
      description =
          "Answers the execution, now `Cancelled`; a running function is stopped. 409 when it"
              + " had already finished (also when it was cancelled before).")
  ExecutionView cancel(
      @AuthenticationPrincipal Caller caller,
      @Parameter(
              description = "The execution id (a UUID).",
              schema = @Schema(type = "string", format = "uuid"))
          @PathVariable
          String id) {
    UUID uuid = parseId(id);
    ExecutionQueue.Cancellation c =
        queue.tryCancel(caller.accountId(), uuid).orElseThrow(() -> unknown(id));
    if (!c.cancelled()) {
      throw alreadyFinished(id, c.row());
    }
    metrics.finishedIds(java.util.List.of(uuid));
    return ExecutionView.of(c.row());
  }

  private static ApiException alreadyFinished(String id, ExecutionRow row) {
    return ApiException.conflict(
        "execution "
            + id
            + " already finished with status "
            + row.status()
            + "; nothing to cancel");
  }

  /**
   * Bodies: {@code {"tasks": "[\"id\", ...]"}} (what the client sends: a JSON array inside a
   * string), {@code {"tasks": [...]}}, or a bare array.
   */
  @PostMapping("/bulk")
  @Operation(
      operationId = "bulkGetExecutions",
      summary = "Get many executions",
      description =
          "Answers the executions in input order; 404 when any id is unknown. The body is"
              + " `{\"tasks\": \"<a JSON array of ids as a string>\"}` (what the client sends),"
              + " or a bare array `[\"id1\", \"id2\"]` (`{\"tasks\": [...]}` works too).",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema =
                          @Schema(
                              types = {"object", "array"},
                              description =
                                  "`{\"tasks\": \"[...]\"}`, `{\"tasks\": [...]}` or a bare array"
                                      + " of ids."),
                      examples = {
                        @ExampleObject(
                            name = "client",
                            summary = "What the client sends: the ids as a JSON string",
                            value =
                                "{\"tasks\": \"[\\\"0b5c3f3e-8d0a-4f63-9a55-1b8e1f0f4d2a\\\","
                                    + " \\\"5d1e7a52-3c1b-4d0e-8f7a-2b9c6d4e1f00\\\"]\"}"),
                        @ExampleObject(
                            name = "bare",
                            summary = "A bare array of ids",
                            value =
                                "[\"0b5c3f3e-8d0a-4f63-9a55-1b8e1f0f4d2a\","
                                    + " \"5d1e7a52-3c1b-4d0e-8f7a-2b9c6d4e1f00\"]")
                      })))
  @io.swagger.v3.oas.annotations.responses.ApiResponse(
      responseCode = "200",
      description = "The executions, in input order.",
      content =
          @Content(
              mediaType = "application/json",
              array = @ArraySchema(schema = @Schema(implementation = ExecutionView.class))))
  List<ExecutionView> bulk(@AuthenticationPrincipal Caller caller, HttpServletRequest request) {
    JsonNode body = bodies.json(request);
    JsonNode ids = body;
    if (body != null && body.isObject()) {
      ids = body.get("tasks");
      if (ids != null && ids.isString()) {
        ids = bodies.parse(ids.asString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    if (ids == null || !ids.isArray()) {
      throw ApiException.badRequest(
          "expected a JSON array of execution ids, or {\"tasks\": <that array as a string>}");
    }
    if (ids.size() > props.maxBulk()) {
      throw ApiException.tooLarge("at most " + props.maxBulk() + " ids per bulk get");
    }
    List<UUID> wanted = new ArrayList<>();
    for (JsonNode id : ids) {
      if (!id.isString()) {
        throw ApiException.badRequest("every execution id must be a string");
      }
      wanted.add(parseId(id.asString()));
    }
    Map<UUID, ExecutionRow> found =
        queries.findAll(caller.accountId(), new LinkedHashSet<>(wanted));
    List<UUID> missing = wanted.stream().filter(id -> !found.containsKey(id)).distinct().toList();
    if (!missing.isEmpty()) {
      throw ApiException.notFound("no such execution(s): " + missing);
    }
    return wanted.stream().map(found::get).map(ExecutionView::of).toList();
  }

  static boolean truthy(String value) {
    return value != null && List.of("true", "1", "yes", "on").contains(value.strip().toLowerCase());
  }

  static UUID parseId(String id) {
    try {
      if (id.length() != 36) {
        throw new IllegalArgumentException();
      }
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("no execution with id '" + id + "' (ids are UUIDs)");
    }
  }

  private static ApiException unknown(String id) {
    return ApiException.notFound("no execution with id " + id);
  }
}
