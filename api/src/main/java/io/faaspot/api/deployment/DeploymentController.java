package io.faaspot.api.deployment;

import io.faaspot.api.account.Caller;
import io.faaspot.api.config.ApiProperties;
import io.faaspot.api.config.FaaspotProperties;
import io.faaspot.api.execution.ExecutionView;
import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.JsonString;
import io.faaspot.api.web.PercentCoding;
import io.faaspot.api.web.RequestBodies;
import io.faaspot.scheduler.execution.ExecutionQueries;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
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
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * API.md section 3, management: list, get, create, update and delete deployments. Code,
 * requirements and context travel URL-quoted both ways, as the old client quotes and unquotes.
 */
@RestController
@RequestMapping("/api/deployments")
@Tag(
    name = "Deployments",
    description =
        "A deployment is one Python function (`def main(args, context)`) with its pip requirements"
            + " and context (`KEY=Value` lines). `functions` is an alias of `deployments`"
            + " (`/v1/functions/...`). Code, requirements and context travel URL-quoted both ways:"
            + " percent-encoded UTF-8, `/` kept as it is.")
class DeploymentController {
  static final int MAX_TIMEOUT_SECONDS = 900;

  private final DeploymentRepository deployments;
  private final ManageDeployments manage;
  private final ExecutionQueries executions;
  private final RequestBodies bodies;
  private final FaaspotProperties faaspot;
  private final ApiProperties api;
  private final RequirementsCheck requirementsCheck;

  DeploymentController(
      DeploymentRepository deployments,
      ManageDeployments manage,
      ExecutionQueries executions,
      RequestBodies bodies,
      FaaspotProperties faaspot,
      ApiProperties api,
      RequirementsCheck requirementsCheck) {
    this.deployments = deployments;
    this.manage = manage;
    this.executions = executions;
    this.bodies = bodies;
    this.faaspot = faaspot;
    this.api = api;
    this.requirementsCheck = requirementsCheck;
  }

  /** A row of the list: the client prints name, requirements and runner_url. */
  record DeploymentSummary(
      String name,
      @Schema(description = "The pip requirements, as plain text (not quoted, unlike in the get).")
          String requirements,
      @Schema(
              description =
                  "The URL that runs the deployment synchronously: GET it with the args as query"
                      + " parameters.",
              example = "https://faaspot.example.com/api/sync/deployments/hello/rpc/")
          String runnerUrl,
      int version,
      int timeout,
      Instant created,
      Instant updated) {}

  /** The whole deployment; code, requirements and context URL-quoted. */
  record DeploymentDetail(
      String name,
      @Schema(
              description =
                  "The Python file, URL-quoted: percent-encoded UTF-8, `/` kept (the client"
                      + " unquotes it).",
              example =
                  "def%20main%28args%2C%20context%29%3A%0A%20%20%20%20return%20%22Hello%20%22%20"
                      + "%2B%20args%5B%22name%22%5D%0A")
          String code,
      @Schema(
              description = "The pip requirements file, URL-quoted like code.",
              example = "requests%3D%3D2.31.0%0A")
          String requirements,
      @Schema(
              description = "The context file (`KEY=Value` lines), URL-quoted like code.",
              example = "greeting%20%3D%20%22Hi%22%0A")
          String context,
      @Schema(description = "The URL that runs the deployment synchronously.") String runnerUrl,
      int version,
      int timeout,
      Instant created,
      Instant updated) {}

  @GetMapping
  @Operation(
      operationId = "listDeployments",
      summary = "List the deployments",
      description =
          "A bare JSON array, by name; the client prints `name`, `requirements` and `runner_url`."
              + " Here `requirements` is plain text; the get answers it URL-quoted.")
  List<DeploymentSummary> list(@AuthenticationPrincipal Caller caller) {
    String base = baseUrl();
    return deployments.findByAccountIdOrderByNameAsc(caller.accountId()).stream()
        .map(
            d -> {
              DeploymentVersion v = manage.current(d);
              return new DeploymentSummary(
                  d.name(),
                  v.requirements(),
                  runnerUrl(base, d.name()),
                  v.version(),
                  v.timeoutSeconds(),
                  d.createdAt(),
                  d.updatedAt());
            })
        .toList();
  }

  @GetMapping("/{name}")
  @Operation(
      operationId = "getDeployment",
      summary = "Get a deployment",
      description =
          "The current version, with `code`, `requirements` and `context` **URL-quoted**"
              + " (percent-encoded UTF-8, `/` kept, as Python's `urllib.parse.quote`): the client"
              + " unquotes them. 404 for an unknown name.")
  DeploymentDetail get(@AuthenticationPrincipal Caller caller, @PathVariable String name) {
    Deployment d = manage.find(caller.accountId(), name);
    DeploymentVersion v = manage.current(d);
    FunctionSource s = manage.source(v);
    return new DeploymentDetail(
        d.name(),
        PercentCoding.quote(s.code()),
        PercentCoding.quote(s.requirements()),
        PercentCoding.quote(s.context()),
        runnerUrl(baseUrl(), d.name()),
        v.version(),
        v.timeoutSeconds(),
        d.createdAt(),
        d.updatedAt());
  }

  /** Body {@code {"name", "code", "requirements", "context"}}; answers the task's id. */
  @PutMapping
  @Operation(
      operationId = "createDeployment",
      summary = "Create a deployment",
      description =
          "The body's `code`, `requirements` and `context` are **URL-quoted** (percent-encoded"
              + " UTF-8, `/` kept; the empty string when absent); the server stores the decoded"
              + " text. Optional `timeout`: seconds per call, 1 to 900 (default 60). Answers the"
              + " id of the `tasks.create_deployment` execution as a **bare JSON string**; that"
              + " task builds the environment and imports the function on a ready spot (with no"
              + " spot running it succeeds at once). 409 when the name is taken; 400 when the"
              + " requirements are more than package specifiers (`-r`, `-e`, local paths, `file:`"
              + " and VCS URLs; index options and `name @ https://...` unless the operator allows"
              + " them): the message names the line.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              description =
                  "A JSON object (a form-encoded body is read as one too). All four keys are"
                      + " strings; the client always sends all four.",
              content =
                  @Content(
                      mediaType = "application/json",
                      schemaProperties = {
                        @SchemaProperty(
                            name = "name",
                            schema =
                                @Schema(
                                    type = "string",
                                    requiredMode = Schema.RequiredMode.REQUIRED,
                                    description = "The deployment's name.",
                                    example = "hello")),
                        @SchemaProperty(
                            name = "code",
                            schema =
                                @Schema(
                                    type = "string",
                                    requiredMode = Schema.RequiredMode.REQUIRED,
                                    description =
                                        "The Python file defining `main(args, context)`,"
                                            + " URL-quoted.")),
                        @SchemaProperty(
                            name = "requirements",
                            schema =
                                @Schema(
                                    type = "string",
                                    description = "The pip requirements file, URL-quoted.")),
                        @SchemaProperty(
                            name = "context",
                            schema =
                                @Schema(
                                    type = "string",
                                    description =
                                        "The context file (`KEY=Value` lines), URL-quoted.")),
                        @SchemaProperty(
                            name = "timeout",
                            schema =
                                @Schema(
                                    types = {"integer", "string"},
                                    description =
                                        "Seconds a call may run, 1 to 900; a number or a"
                                            + " string."))
                      },
                      examples =
                          @ExampleObject(
                              name = "hello",
                              summary = "What `fas deployments create` sends",
                              value =
                                  "{\"name\": \"hello\", \"code\": \"def%20main%28args%2C%20"
                                      + "context%29%3A%0A%20%20%20%20return%20%22Hello%20%22%20"
                                      + "%2B%20args%5B%22name%22%5D%0A\", \"requirements\":"
                                      + " \"\", \"context\": \"\"}"))))
  @ApiResponse(
      responseCode = "200",
      description = "The execution id of the create task, as a bare JSON string (quotes included).",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(type = "string", format = "uuid"),
              examples = @ExampleObject(value = "\"0b5c3f3e-8d0a-4f63-9a55-1b8e1f0f4d2a\"")))
  JsonString create(@AuthenticationPrincipal Caller caller, HttpServletRequest request) {
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
    int timeout = timeout(body);
    UUID task =
        manage.create(caller.accountId(), name, source, timeout == 0 ? defaultTimeout() : timeout);
    return new JsonString(task.toString());
  }

  /** Body with any of code, requirements, context, name (rename), timeout; answers the task. */
  @PatchMapping("/{name}")
  @Operation(
      operationId = "updateDeployment",
      summary = "Update or rename a deployment",
      description =
          "The body holds any of `code`, `requirements`, `context` (URL-quoted, as on create),"
              + " `name` (a rename) and `timeout`. Answers the **execution object** of the"
              + " `tasks.create_deployment` task (a dict with `uuid`, not a bare string: the"
              + " client's `--wait` reads `uuid` from it). New requirements are checked as on"
              + " create (400 naming the refused line).",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @Content(
                      mediaType = "application/json",
                      schemaProperties = {
                        @SchemaProperty(
                            name = "code",
                            schema = @Schema(type = "string", description = "URL-quoted.")),
                        @SchemaProperty(
                            name = "requirements",
                            schema = @Schema(type = "string", description = "URL-quoted.")),
                        @SchemaProperty(
                            name = "context",
                            schema = @Schema(type = "string", description = "URL-quoted.")),
                        @SchemaProperty(
                            name = "name",
                            schema = @Schema(type = "string", description = "The new name.")),
                        @SchemaProperty(
                            name = "timeout",
                            schema =
                                @Schema(
                                    types = {"integer", "string"},
                                    description = "Seconds a call may run, 1 to 900."))
                      },
                      examples =
                          @ExampleObject(
                              name = "new requirements",
                              value = "{\"requirements\": \"requests%3D%3D2.31.0%0A\"}"))))
  ExecutionView update(
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
    int timeout = timeout(body);
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
  @Operation(
      operationId = "deleteDeployment",
      summary = "Delete a deployment",
      description =
          "Answers the execution object of the delete task (a dict with `uuid`). 404 for an"
              + " unknown name.")
  ExecutionView delete(@AuthenticationPrincipal Caller caller, @PathVariable String name) {
    UUID task = manage.delete(caller.accountId(), name);
    return ExecutionView.of(executions.find(caller.accountId(), task).orElseThrow());
  }

  private int defaultTimeout() {
    return (int) Math.max(1, api.defaultTimeout().toSeconds());
  }

  /** The optional {@code timeout} (seconds, number or string); 0 when absent. */
  private static int timeout(JsonNode body) {
    JsonNode t = body.has("timeout") ? body.get("timeout") : body.get("timeout_seconds");
    if (t == null || t.isNull() || (t.isString() && t.asString().isBlank())) {
      return 0;
    }
    try {
      int seconds = t.isNumber() ? t.intValue() : Integer.parseInt(t.asString().strip());
      if (seconds >= 1 && seconds <= MAX_TIMEOUT_SECONDS) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw ApiException.badRequest(
        "timeout must be a whole number of seconds from 1 to " + MAX_TIMEOUT_SECONDS);
  }

  private static String quoted(JsonNode body, String field) {
    String raw = RequestBodies.optionalString(body, field);
    return raw == null ? null : PercentCoding.unquote(raw, field);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private String baseUrl() {
    if (faaspot.publicUrl() != null) {
      return faaspot.publicUrl();
    }
    return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
  }

  static String runnerUrl(String base, String name) {
    return base + "/api/sync/deployments/" + name + "/rpc/";
  }
}
