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
class RunController implements RunApi {
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
  @Override
  public JsonString runAsync(
      @AuthenticationPrincipal Caller caller,
      @PathVariable String name,
      HttpServletRequest request) {
    String args = args(request);
    return new JsonString(run(caller, name, args, UUID.randomUUID()).toString());
  }

  @RequestMapping(
      path = "/api/sync/deployments/{name}/rpc",
      method = {RequestMethod.GET, RequestMethod.PUT, RequestMethod.POST})
  @Override
  public ResponseEntity<String> runSync(
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
  @Override
  public List<String> runBulk(
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
