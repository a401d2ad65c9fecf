package io.faaspot.api.deployment;

import io.faaspot.api.account.Caller;
import io.faaspot.api.config.ApiProperties;
import io.faaspot.api.config.QueueProperties;
import io.faaspot.api.execution.AwaitExecution;
import io.faaspot.api.execution.Awaited;
import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.ConsoleController;
import io.faaspot.scheduler.execution.ExecutionId;
import io.faaspot.scheduler.execution.ExecutionQueue;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's page of one deployment: its code, requirements, the names of its context keys
 * (never their values), its environment's last build ({@link LastBuilds}) and a form to run it,
 * synchronously (the result on the page) or not (the execution's page). The same checks and
 * services as {@link RunController}. The list of deployments is {@link DeploymentListPage}.
 */
@ConsoleController
class DeploymentPage {
  private final ManageDeployments manage;
  private final LastBuilds builds;
  private final ExecutionQueue queue;
  private final AwaitExecution await;
  private final ConsoleJson json;
  private final ApiProperties api;
  private final QueueProperties queueProps;

  DeploymentPage(
      ManageDeployments manage,
      LastBuilds builds,
      ExecutionQueue queue,
      AwaitExecution await,
      ConsoleJson json,
      ApiProperties api,
      QueueProperties queueProps) {
    this.manage = manage;
    this.builds = builds;
    this.queue = queue;
    this.await = await;
    this.json = json;
    this.api = api;
    this.queueProps = queueProps;
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
    model.addAttribute("build", builds.of(caller.accountId(), d).orElse(null));
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
      HttpServletResponse response,
      Model model)
      throws InterruptedException {
    manage.find(caller.accountId(), name);
    model.addAttribute("args", args);
    String argsJson;
    try {
      argsJson = json.args(args);
    } catch (ApiException e) {
      response.setStatus(e.status().value());
      model.addAttribute("runError", e.getMessage());
      return show(caller, name, model);
    }
    UUID id = ExecutionId.next();
    Runnable enqueue =
        () ->
            queue
                .enqueueRun(id, caller.accountId(), name, argsJson, queueProps.maxAttempts())
                .orElseThrow(() -> ApiException.notFound("no deployment named '" + name + "'"));
    if (!"sync".equals(mode)) {
      enqueue.run();
      return "redirect:/console/executions/" + id;
    }
    Awaited row = await.createAndAwait(caller.accountId(), id, enqueue, api.syncWait());
    model.addAttribute(
        "result", new ShownOutcome(id, row.status().name(), json.readable(row.outputJson())));
    return show(caller, name, model);
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
}
