package io.faaspot.api.execution;

import io.faaspot.api.account.Caller;
import io.faaspot.api.config.ApiProperties;
import io.faaspot.api.ops.Metrics;
import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.RequestBodies;
import io.faaspot.scheduler.execution.ExecutionQueries;
import io.faaspot.scheduler.execution.ExecutionQueue;
import io.faaspot.scheduler.execution.ExecutionRow;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** API.md section 4: list, get, cancel and bulk-get executions of the caller's account. */
@RestController
@RequestMapping("/api/executions")
class ExecutionController implements ExecutionApi {
  private final ExecutionQueries queries;
  private final ExecutionQueue queue;
  private final RequestBodies bodies;
  private final DeploymentIds deploymentIds;
  private final ApiProperties props;
  private final Metrics metrics;

  ExecutionController(
      ExecutionQueries queries,
      ExecutionQueue queue,
      RequestBodies bodies,
      DeploymentIds deploymentIds,
      ApiProperties props,
      Metrics metrics) {
    this.queries = queries;
    this.queue = queue;
    this.bodies = bodies;
    this.deploymentIds = deploymentIds;
    this.props = props;
    this.metrics = metrics;
  }

  @GetMapping
  @Override
  public List<ExecutionView> list(
      @AuthenticationPrincipal Caller caller,
      @RequestParam(name = "include_completed", required = false) String includeCompleted,
      @RequestParam(name = "deployment", required = false) String deployment,
      @RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "offset", required = false) Integer offset) {
    Long deploymentId = null;
    if (deployment != null && !deployment.isEmpty()) {
      deploymentId = deploymentIds.find(caller.accountId(), deployment);
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
  @Override
  public ExecutionView get(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
    return ExecutionView.of(
        queries.find(caller.accountId(), ExecutionIds.parse(id)).orElseThrow(() -> unknown(id)));
  }

  /** 409 when it had already finished, also when it was cancelled before (README). */
  @DeleteMapping("/{id}")
  @Override
  public ExecutionView cancel(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
    UUID uuid = ExecutionIds.parse(id);
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

  /** The ids in the request's order; 404 naming those not found ({@link ExecutionIds#bulk}). */
  @PostMapping("/bulk")
  @Override
  public List<ExecutionView> bulk(
      @AuthenticationPrincipal Caller caller, HttpServletRequest request) {
    List<UUID> wanted = ExecutionIds.bulk(bodies.json(request), bodies, props.maxBulk());
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

  private static ApiException unknown(String id) {
    return ApiException.notFound("no execution with id " + id);
  }
}
