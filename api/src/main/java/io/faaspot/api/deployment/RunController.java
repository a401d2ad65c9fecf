package io.faaspot.api.deployment;

import io.faaspot.api.account.Caller;
import io.faaspot.api.config.ApiProperties;
import io.faaspot.api.config.QueueProperties;
import io.faaspot.api.execution.AwaitExecution;
import io.faaspot.api.execution.Awaited;
import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.JsonString;
import io.faaspot.api.web.RequestBodies;
import io.faaspot.scheduler.execution.ExecutionId;
import io.faaspot.scheduler.execution.ExecutionQueue;
import io.faaspot.scheduler.execution.NewExecution;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * API.md section 3, running: async (answers the execution id), sync (answers the function's return
 * value itself, {@link SyncAnswer}) and bulk. A call's args are its query parameters merged with
 * its JSON body ({@link RunArgs}).
 */
@RestController
class RunController implements RunApi, BulkRunApi {
  private final ManageDeployments manage;
  private final ExecutionQueue queue;
  private final AwaitExecution await;
  private final RunArgs runArgs;
  private final RequestBodies bodies;
  private final ApiProperties api;
  private final QueueProperties queueProps;

  RunController(
      ManageDeployments manage,
      ExecutionQueue queue,
      AwaitExecution await,
      RunArgs runArgs,
      RequestBodies bodies,
      ApiProperties api,
      QueueProperties queueProps) {
    this.manage = manage;
    this.queue = queue;
    this.await = await;
    this.runArgs = runArgs;
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
    String args = runArgs.of(request);
    return new JsonString(run(caller, name, args, ExecutionId.next()).toString());
  }

  @RequestMapping(
      path = "/api/sync/deployments/{name}/rpc",
      method = {RequestMethod.GET, RequestMethod.PUT, RequestMethod.POST})
  @Override
  public ResponseEntity<String> runSync(
      @AuthenticationPrincipal Caller caller, @PathVariable String name, HttpServletRequest request)
      throws InterruptedException {
    String args = runArgs.of(request);
    UUID callId = ExecutionId.next();
    Awaited row =
        await.createAndAwait(
            caller.accountId(), callId, () -> run(caller, name, args, callId), api.syncWait());
    return SyncAnswer.of(row, api.syncWait(), bodies);
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
    JsonNode values = runArgs.bulk(request, api.maxBulk());
    Deployment d = manage.find(caller.accountId(), name);
    List<NewExecution> calls = new ArrayList<>(values.size());
    int i = 0;
    for (JsonNode v : values) {
      calls.add(call(caller, d, runArgs.element(v, i)));
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
}
