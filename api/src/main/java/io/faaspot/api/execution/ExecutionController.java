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
class ExecutionController implements ExecutionApi {
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
  @Override
  public List<ExecutionView> list(
      @AuthenticationPrincipal Caller caller,
      @RequestParam(name = "include_completed", required = false) String includeCompleted,
      @RequestParam(name = "deployment", required = false) String deployment,
      @RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "offset", required = false) Integer offset) {
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
  @Override
  public ExecutionView get(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
    return ExecutionView.of(
        queries.find(caller.accountId(), parseId(id)).orElseThrow(() -> unknown(id)));
  }

  /** 409 when it had already finished, also when it was cancelled before (README). */
  @DeleteMapping("/{id}")
  @Override
  public ExecutionView cancel(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
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
  @Override
  public List<ExecutionView> bulk(
      @AuthenticationPrincipal Caller caller, HttpServletRequest request) {
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
