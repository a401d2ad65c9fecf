package io.faaspot.api.deployment;

import io.faaspot.api.account.Caller;
import io.faaspot.api.config.ApiProperties;
import io.faaspot.api.config.QueueProperties;
import io.faaspot.api.execution.AwaitExecution;
import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.JsonString;
import io.faaspot.api.web.RequestBodies;
import io.faaspot.scheduler.execution.ExecutionQueue;
import io.faaspot.scheduler.execution.NewExecution;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.Explode;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.enums.ParameterStyle;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * API.md section 3, running: async (answers the execution id), sync (answers the function's return
 * value itself) and bulk. A call's args are its query parameters merged with its JSON body.
 */
@RestController
@Tag(
    name = "Runs",
    description =
        "Running a deployment: asynchronously (answers the execution id as a bare JSON string),"
            + " synchronously (answers the function's own return value) or in bulk. A call's"
            + " `args` are its query parameters merged with its JSON body object (the body wins);"
            + " the client sends every value as a string. `functions` is an alias of"
            + " `deployments` here too (`/v1/functions/NAME/rpc`, `/v1/sync/functions/NAME/rpc`).")
class RunController {
  private final DeploymentRepository deployments;
  private final ManageDeployments manage;
  private final ExecutionQueue queue;
  private final AwaitExecution await;
  private final RequestBodies bodies;
  private final ApiProperties api;
  private final QueueProperties queueProps;

  RunController(
      DeploymentRepository deployments,
      ManageDeployments manage,
      ExecutionQueue queue,
      AwaitExecution await,
      RequestBodies bodies,
      ApiProperties api,
      QueueProperties queueProps) {
    this.deployments = deployments;
    this.manage = manage;
    this.queue = queue;
    this.await = await;
    this.bodies = bodies;
    this.api = api;
    this.queueProps = queueProps;
  }

  @RequestMapping(
      path = "/api/deployments/{name}/rpc",
      method = {RequestMethod.POST, RequestMethod.GET, RequestMethod.PUT})
  @Operation(
      operationId = "runAsync",
      summary = "Run a deployment asynchronously",
      description =
          "Queues one call (`tasks.run_deployment`) and answers its execution id as a **bare"
              + " JSON string**, quotes included (`ID=$(curl ... | tr -d '\"')`); poll `GET"
              + " /api/executions/{id}` for its `status` and `output`. POST is what the client"
              + " sends; GET and PUT work the same.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              description =
                  "Optional: a JSON object of args, merged over the query parameters. An empty"
                      + " body is fine.",
              content =
                  @Content(
                      mediaType = "application/json",
                      schema =
                          @Schema(
                              type = "object",
                              additionalPropertiesSchema = Object.class,
                              example = "{\"name\": \"user1\"}"))))
  @Parameter(
      name = "args",
      in = ParameterIn.QUERY,
      description = "The call's args, one query parameter each (`?name=user1&sec=2`); any names.",
      style = ParameterStyle.FORM,
      explode = Explode.TRUE,
      schema =
          @Schema(
              type = "object",
              additionalPropertiesSchema = String.class,
              example = "{\"name\": \"user1\"}"))
  @ApiResponse(
      responseCode = "200",
      description = "The execution id, as a bare JSON string.",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(type = "string", format = "uuid"),
              examples = @ExampleObject(value = "\"0b5c3f3e-8d0a-4f63-9a55-1b8e1f0f4d2a\"")))
  JsonString runAsync(
      @AuthenticationPrincipal Caller caller,
      @PathVariable String name,
      HttpServletRequest request) {
    String args = args(request);
    return new JsonString(run(caller, name, args, UUID.randomUUID()).toString());
  }

  @RequestMapping(
      path = "/api/sync/deployments/{name}/rpc",
      method = {RequestMethod.GET, RequestMethod.PUT, RequestMethod.POST})
  @Operation(
      operationId = "runSync",
      summary = "Run a deployment and wait for its result",
      description =
          "Runs one call and answers **the function's own return value** as JSON (whatever"
              + " `main` returned: `\"Hello user1\"`, a number, an object, `null`), not an"
              + " execution object. This is a deployment's `runner_url`. If the function fails,"
              + " the answer is a 500 whose `message` is the error text (the traceback) and"
              + " whose `execution_id` names the execution. A call still running after the"
              + " server's sync wait (`faaspot.api.sync-wait`, 90 s by default) is not lost: the"
              + " answer is a 504 with `error_code` `still_running` and its `execution_id`, to"
              + " poll `GET /api/executions/{id}`.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              description =
                  "Optional: a JSON object of args, merged over the query parameters. An empty"
                      + " body is fine.",
              content =
                  @Content(
                      mediaType = "application/json",
                      schema =
                          @Schema(
                              type = "object",
                              additionalPropertiesSchema = Object.class,
                              example = "{\"name\": \"user1\"}"))))
  @Parameter(
      name = "args",
      in = ParameterIn.QUERY,
      description = "The call's args, one query parameter each (`?name=user1&sec=2`); any names.",
      style = ParameterStyle.FORM,
      explode = Explode.TRUE,
      schema =
          @Schema(
              type = "object",
              additionalPropertiesSchema = String.class,
              example = "{\"name\": \"user1\"}"))
  @ApiResponse(
      responseCode = "200",
      description = "The function's return value itself, as JSON (any JSON value).",
      content =
          @Content(
              mediaType = "application/json",
              schema =
                  @Schema(
                      types = {"string", "number", "integer", "boolean", "object", "array", "null"},
                      description = "Whatever the function returned."),
              examples = @ExampleObject(name = "hello", value = "\"Hello user1\"")))
  @ApiResponse(
      responseCode = "500",
      description =
          "The function failed: `message` is its error text, `execution_id` (and `uuid`) its"
              + " execution; `error_code` is `function_failed`.",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(ref = "#/components/schemas/Error")))
  @ApiResponse(
      responseCode = "409",
      description = "The call was cancelled (`error_code` `cancelled`, with `execution_id`).",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(ref = "#/components/schemas/Error")))
  @ApiResponse(
      responseCode = "504",
      description =
          "No result within the sync wait: the call goes on; `execution_id` names it, to poll"
              + " (`error_code` `still_running`).",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(ref = "#/components/schemas/Error")))
  ResponseEntity<String> runSync(
      @AuthenticationPrincipal Caller caller, @PathVariable String name, HttpServletRequest request)
      throws InterruptedException {
    String args = args(request);
    UUID callId = UUID.randomUUID();
    AwaitExecution.Awaited row =
        await.createAndAwait(
            caller.accountId(), callId, () -> run(caller, name, args, callId), api.syncWait());
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
              failureText(row.outputJson()),
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
                  + api.syncWait().toSeconds()
                  + " s; the call goes on as execution "
                  + id
                  + ": poll GET /api/executions/"
                  + id
                  + " for its result",
              Map.of("execution_id", id, "uuid", id, "status", row.status().name()));
    };
  }

  /**
   * Bodies: {@code {"values": "<JSON array as a string>"}} (what the client sends), {@code
   * {"values": [...]}}, or a bare array; each element is one call's args object.
   */
  @PostMapping("/api/deployments/{name}/bulk_rpc")
  @Operation(
      operationId = "runBulk",
      summary = "Run a deployment once per args object",
      description =
          "Queues one call per element and answers their execution ids, in input order. The"
              + " body comes in three shapes, all accepted: `{\"values\": \"<a JSON array as a"
              + " string>\"}` (what the client sends), `{\"values\": [{...}, ...]}` and a bare"
              + " array `[{...}, ...]`. Each element is one call's args object. At most"
              + " `faaspot.api.max-bulk` (10000) calls per request (413 beyond).",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              description =
                  "An array of args objects, or an object whose `values` is that array or that"
                      + " array encoded as a JSON string.",
              content =
                  @Content(
                      mediaType = "application/json",
                      schema =
                          @Schema(
                              types = {"object", "array"},
                              description =
                                  "`{\"values\": \"[...]\"}`, `{\"values\": [...]}` or"
                                      + " `[...]`."),
                      examples = {
                        @ExampleObject(
                            name = "client",
                            summary = "What the client sends: the array as a string",
                            value =
                                "{\"values\": \"[{\\\"name\\\": \\\"a\\\"},"
                                    + " {\\\"name\\\": \\\"b\\\"}]\"}"),
                        @ExampleObject(
                            name = "values",
                            summary = "The array under values",
                            value = "{\"values\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}"),
                        @ExampleObject(
                            name = "bare",
                            summary = "A bare array",
                            value = "[{\"name\": \"a\"}, {\"name\": \"b\"}]")
                      })))
  @ApiResponse(
      responseCode = "200",
      description = "The execution ids, in input order.",
      content =
          @Content(
              mediaType = "application/json",
              array = @ArraySchema(schema = @Schema(type = "string", format = "uuid"))))
  List<String> runBulk(
      @AuthenticationPrincipal Caller caller,
      @PathVariable String name,
      HttpServletRequest request) {
    JsonNode body = bodies.json(request);
    JsonNode values = body;
    if (body != null && body.isObject()) {
      values = body.get("values");
      if (values != null && values.isString()) {
        values = bodies.parse(values.asString().getBytes(StandardCharsets.UTF_8));
      }
    }
    if (values == null || !values.isArray()) {
      throw ApiException.badRequest(
          "expected a JSON array of args objects, or {\"values\": <that array, or it as a string>}");
    }
    if (values.size() > api.maxBulk()) {
      throw ApiException.tooLarge("at most " + api.maxBulk() + " calls per bulk run");
    }
    Deployment d = manage.find(caller.accountId(), name);
    List<NewExecution> calls = new ArrayList<>(values.size());
    int i = 0;
    for (JsonNode v : values) {
      if (!v.isObject()) {
        throw ApiException.badRequest(
            "element "
                + i
                + " of the bulk is "
                + RequestBodies.kind(v)
                + "; each must be an object");
      }
      calls.add(call(caller, d, bodies.mapper().writeValueAsString(v)));
      i++;
    }
    return queue.enqueueAll(calls).stream().map(UUID::toString).toList();
  }

  /**
   * One call of the deployment, handed to a waiting agent if one waits; 404 if none is named so.
   */
  private UUID run(Caller caller, String name, String args, UUID id) {
    return queue
        .enqueueRun(id, caller.accountId(), name, args, queueProps.maxAttempts())
        .orElseThrow(() -> ApiException.notFound("no deployment named '" + name + "'"))
        .id();
  }

  private NewExecution call(Caller caller, Deployment d, String args) {
    return NewExecution.run(
        caller.accountId(), d.id(), d.name(), d.currentVersion(), args, queueProps.maxAttempts());
  }

  /** Query parameters, then the body's fields over them. */
  private String args(HttpServletRequest request) {
    ObjectNode args = bodies.newObject();
    request.getParameterMap().forEach((k, v) -> args.put(k, v.length == 0 ? "" : v[0]));
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

  private String failureText(String outputJson) {
    if (outputJson == null) {
      return "the function failed";
    }
    JsonNode out = bodies.parse(outputJson.getBytes(StandardCharsets.UTF_8));
    return out != null && out.isString() ? out.asString() : outputJson;
  }
}
