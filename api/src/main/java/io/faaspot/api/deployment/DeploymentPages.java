package io.faaspot.api.deployment;

import io.faaspot.api.account.Caller;
import io.faaspot.api.config.ApiProperties;
import io.faaspot.api.config.QueueProperties;
import io.faaspot.api.execution.AwaitExecution;
import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.ConsoleController;
import io.faaspot.scheduler.execution.ExecutionKind;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's deployments: the list with a form to create one, and one deployment's code,
 * requirements, the names of its context keys (never their values), its environment's last build
 * (pip's output when it failed) and a form to run it, synchronously (the result on the page) or not
 * (the execution's page). The same checks and services as {@link DeploymentController} and {@link
 * RunController}.
 */
@ConsoleController
class DeploymentPages {
  private final DeploymentRepository deployments;
  private final ManageDeployments manage;
  private final RequirementsCheck requirementsCheck;
  private final io.faaspot.scheduler.execution.ExecutionQueue queue;
  private final AwaitExecution await;
  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final ApiProperties api;
  private final QueueProperties queueProps;

  DeploymentPages(
      DeploymentRepository deployments,
      ManageDeployments manage,
      RequirementsCheck requirementsCheck,
      io.faaspot.scheduler.execution.ExecutionQueue queue,
      AwaitExecution await,
      JdbcClient jdbc,
      JsonMapper json,
      ApiProperties api,
      QueueProperties queueProps) {
    this.deployments = deployments;
    this.manage = manage;
    this.requirementsCheck = requirementsCheck;
    this.queue = queue;
    this.await = await;
    this.jdbc = jdbc;
    this.json = json;
    this.api = api;
    this.queueProps = queueProps;
  }

  record Row(
      String name, int version, int timeout, String requirements, java.time.Instant updated) {}

  /** The form's fields, kept when a create is refused so that nothing typed is lost. */
  record Draft(String name, String code, String requirements, String context, String timeout) {
    static Draft empty() {
      return new Draft(
          "",
          "def main(args, context):\n    return \"Hello \" + args.get(\"name\", \"world\")\n",
          "",
          "",
          "");
    }
  }

  /** The environment's last build: the create task of the current version. */
  record Build(UUID id, String status, String output) {}

  /** A synchronous run's answer. */
  record Result(UUID id, String status, String output) {}

  @GetMapping("/console/deployments")
  String list(@AuthenticationPrincipal Caller caller, Model model) {
    if (!model.containsAttribute("draft")) {
      model.addAttribute("draft", Draft.empty());
    }
    model.addAttribute(
        "deployments",
        deployments.findByAccountIdOrderByNameAsc(caller.accountId()).stream()
            .map(
                d -> {
                  DeploymentVersion v = manage.current(d);
                  return new Row(
                      d.name(), v.version(), v.timeoutSeconds(), v.requirements(), d.updatedAt());
                })
            .toList());
    return "console/deployments";
  }

  @PostMapping("/console/deployments")
  String create(
      @AuthenticationPrincipal Caller caller,
      @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String code,
      @RequestParam(defaultValue = "") String requirements,
      @RequestParam(defaultValue = "") String context,
      @RequestParam(defaultValue = "") String timeout,
      jakarta.servlet.http.HttpServletResponse response,
      Model model) {
    Draft draft = new Draft(name, code, requirements, context, timeout);
    try {
      String checked = DeploymentName.check(name.strip());
      if (code.isBlank()) {
        throw ApiException.badRequest(
            "code is required: the Python file defining main(args, context)");
      }
      requirementsCheck.check(requirements);
      int seconds = timeout(timeout);
      manage.create(
          caller.accountId(),
          checked,
          new FunctionSource(lf(code), lf(requirements), lf(context)),
          seconds);
      return "redirect:/console/deployments/" + checked;
    } catch (ApiException e) {
      response.setStatus(e.status().value());
      model.addAttribute("draft", draft);
      model.addAttribute("error", e.getMessage());
      return list(caller, model);
    }
  }

  @GetMapping("/console/deployments/{name}")
  String show(@AuthenticationPrincipal Caller caller, @PathVariable String name, Model model) {
    Deployment d = manage.find(caller.accountId(), name);
    DeploymentVersion v = manage.current(d);
    FunctionSource s = manage.source(v);
    model.addAttribute("name", d.name());
    model.addAttribute("version", v.version());
    model.addAttribute("timeout", v.timeoutSeconds());
    model.addAttribute("code", s.code());
    model.addAttribute("requirements", s.requirements());
    model.addAttribute("contextKeys", contextKeys(s.context()));
    model.addAttribute("build", lastBuild(caller.accountId(), d).orElse(null));
    if (!model.containsAttribute("args")) {
      model.addAttribute("args", "{}");
    }
    return "console/deployment";
  }

  @PostMapping("/console/deployments/{name}/run")
  String run(
      @AuthenticationPrincipal Caller caller,
      @PathVariable String name,
      @RequestParam(defaultValue = "{}") String args,
      @RequestParam(defaultValue = "async") String mode,
      jakarta.servlet.http.HttpServletResponse response,
      Model model)
      throws InterruptedException {
    manage.find(caller.accountId(), name);
    model.addAttribute("args", args);
    String argsJson;
    try {
      argsJson = argsJson(args);
    } catch (ApiException e) {
      response.setStatus(e.status().value());
      model.addAttribute("runError", e.getMessage());
      return show(caller, name, model);
    }
    UUID id = UUID.randomUUID();
    Runnable enqueue =
        () ->
            queue
                .enqueueRun(id, caller.accountId(), name, argsJson, queueProps.maxAttempts())
                .orElseThrow(() -> ApiException.notFound("no deployment named '" + name + "'"));
    if (!"sync".equals(mode)) {
      enqueue.run();
      return "redirect:/console/executions/" + id;
    }
    AwaitExecution.Awaited row =
        await.createAndAwait(caller.accountId(), id, enqueue, api.syncWait());
    model.addAttribute("result", new Result(id, row.status().name(), readable(row.outputJson())));
    return show(caller, name, model);
  }

  private java.util.Optional<Build> lastBuild(long accountId, Deployment d) {
    return jdbc.sql(
            """
            SELECT id, status, output::text AS output FROM executions
            WHERE account_id = :a AND deployment_id = :d AND kind = :kind
              AND deployment_version = :v
            ORDER BY created_at DESC LIMIT 1
            """)
        .param("a", accountId)
        .param("d", d.id())
        .param("kind", ExecutionKind.CREATE_DEPLOYMENT)
        .param("v", d.currentVersion())
        .query(
            (rs, i) ->
                new Build(
                    rs.getObject("id", UUID.class),
                    rs.getString("status"),
                    readable(rs.getString("output"))))
        .optional();
  }

  /** The names of a context file's {@code KEY=Value} lines; the values never leave the server. */
  static List<String> contextKeys(String context) {
    List<String> keys = new ArrayList<>();
    for (String line : context.split("\\R")) {
      String l = line.strip();
      int eq = l.indexOf('=');
      if (l.isEmpty() || l.startsWith("#") || eq <= 0) {
        continue;
      }
      keys.add(l.substring(0, eq).strip());
    }
    return keys;
  }

  private String argsJson(String args) {
    JsonNode node;
    try {
      node = json.readTree(args.isBlank() ? "{}" : args);
    } catch (RuntimeException e) {
      throw ApiException.badRequest("args must be a JSON object, such as {\"name\": \"Ada\"}");
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("args must be a JSON object, such as {\"name\": \"Ada\"}");
    }
    return json.writeValueAsString(node);
  }

  private String readable(String raw) {
    if (raw == null) {
      return null;
    }
    JsonNode node = json.readTree(raw);
    return node.isString()
        ? node.asString()
        : json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
  }

  private int timeout(String value) {
    if (value.isBlank()) {
      return (int) Math.max(1, api.defaultTimeout().toSeconds());
    }
    try {
      int seconds = Integer.parseInt(value.strip());
      if (seconds >= 1 && seconds <= DeploymentController.MAX_TIMEOUT_SECONDS) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw ApiException.badRequest(
        "timeout must be a whole number of seconds from 1 to "
            + DeploymentController.MAX_TIMEOUT_SECONDS);
  }

  /** Browsers send a textarea's lines with CRLF; a Python file is kept as the API keeps it. */
  private static String lf(String text) {
    return text.replace("\r\n", "\n");
  }
}
