package io.faaspot.api.deployment;

import io.faaspot.api.account.Caller;
import io.faaspot.api.config.ApiProperties;
import io.faaspot.api.execution.ExecutionView;
import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.JsonString;
import io.faaspot.api.web.PercentCoding;
import io.faaspot.api.web.RequestBodies;
import io.faaspot.scheduler.execution.ExecutionQueries;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * API.md section 3, management: list, get, create, update and delete deployments. Code,
 * requirements and context travel URL-quoted both ways, as the old client quotes and unquotes.
 */
@RestController
@RequestMapping("/api/deployments")
class DeploymentController implements DeploymentApi {
  private final DeploymentRepository deployments;
  private final ManageDeployments manage;
  private final ExecutionQueries executions;
  private final RequestBodies bodies;
  private final RunnerUrls runnerUrls;
  private final ApiProperties api;
  private final RequirementsCheck requirementsCheck;

  DeploymentController(
      DeploymentRepository deployments,
      ManageDeployments manage,
      ExecutionQueries executions,
      RequestBodies bodies,
      RunnerUrls runnerUrls,
      ApiProperties api,
      RequirementsCheck requirementsCheck) {
    this.deployments = deployments;
    this.manage = manage;
    this.executions = executions;
    this.bodies = bodies;
    this.runnerUrls = runnerUrls;
    this.api = api;
    this.requirementsCheck = requirementsCheck;
  }

  @GetMapping
  @Override
  public List<DeploymentSummary> list(@AuthenticationPrincipal Caller caller) {
    String base = runnerUrls.base();
    return deployments.ofAccount(caller.accountId()).stream()
        .map(
            d -> {
              DeploymentVersion v = manage.current(d);
              return new DeploymentSummary(
                  d.name(),
                  v.requirements(),
                  RunnerUrls.of(base, d.name()),
                  v.version(),
                  v.timeoutSeconds(),
                  d.createdAt(),
                  d.updatedAt());
            })
        .toList();
  }

  @GetMapping("/{name}")
  @Override
  public DeploymentDetail get(@AuthenticationPrincipal Caller caller, @PathVariable String name) {
    Deployment d = manage.find(caller.accountId(), name);
    DeploymentVersion v = manage.current(d);
    FunctionSource s = manage.source(v);
    return new DeploymentDetail(
        d.name(),
        PercentCoding.quote(s.code()),
        PercentCoding.quote(s.requirements()),
        PercentCoding.quote(s.context()),
        RunnerUrls.of(runnerUrls.base(), d.name()),
        v.version(),
        v.timeoutSeconds(),
        d.createdAt(),
        d.updatedAt());
  }

  /** Body {@code {"name", "code", "requirements", "context"}}; answers the task's id. */
  @PutMapping
  @Override
  public JsonString create(@AuthenticationPrincipal Caller caller, HttpServletRequest request) {
    ObjectNode body = bodies.object(request);
    String name = DeploymentName.check(RequestBodies.optionalString(body, "name"));
    String code = quoted(body, "code");
    if (code == null || code.isBlank()) {
      throw ApiException.badRequest(
          "code is required: the Python file defining main(args, context)");
    }
    String requirements = orEmpty(quoted(body, "requirements"));
    requirementsCheck.check(requirements);
    FunctionSource source =
        new FunctionSource(code, requirements, orEmpty(quoted(body, "context")));
    int timeout = DeploymentTimeouts.fromBody(body);
    UUID task =
        manage.create(
            caller.accountId(),
            name,
            source,
            timeout == 0 ? DeploymentTimeouts.defaultSeconds(api) : timeout);
    return new JsonString(task.toString());
  }

  /** Body with any of code, requirements, context, name (rename), timeout; answers the task. */
  @PatchMapping("/{name}")
  @Override
  public ExecutionView update(
      @AuthenticationPrincipal Caller caller,
      @PathVariable String name,
      HttpServletRequest request) {
    ObjectNode body = bodies.object(request);
    String newName = RequestBodies.optionalString(body, "name");
    if (newName != null) {
      DeploymentName.check(newName);
    }
    String requirements = quoted(body, "requirements");
    if (requirements != null) {
      // Only what the request brings: requirements stored before stay as they are.
      requirementsCheck.check(requirements);
    }
    int timeout = DeploymentTimeouts.fromBody(body);
    UUID task =
        manage.update(
            caller.accountId(),
            name,
            newName,
            quoted(body, "code"),
            requirements,
            quoted(body, "context"),
            timeout == 0 ? null : timeout);
    return ExecutionView.of(executions.find(caller.accountId(), task).orElseThrow());
  }

  @DeleteMapping("/{name}")
  @Override
  public ExecutionView delete(@AuthenticationPrincipal Caller caller, @PathVariable String name) {
    UUID task = manage.delete(caller.accountId(), name);
    return ExecutionView.of(executions.find(caller.accountId(), task).orElseThrow());
  }

  private static String quoted(JsonNode body, String field) {
    String raw = RequestBodies.optionalString(body, field);
    return raw == null ? null : PercentCoding.unquote(raw, field);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
