package io.faaspot.api.execution;

import io.faaspot.api.account.Caller;
import io.faaspot.api.ops.Metrics;
import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.ConsoleController;
import io.faaspot.scheduler.execution.ExecutionQueries;
import io.faaspot.scheduler.execution.ExecutionQueue;
import io.faaspot.scheduler.execution.ExecutionStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's executions: the live list (newest first, filtered by deployment and status, paged;
 * the page's script fetches the rows fragment again every two seconds), one execution with its
 * args, output, logs, traceback, stage timings and attempts, and cancelling. The same queries and
 * the same cancellation as {@link ExecutionController}, within the signed-in account; one execution
 * as shown by {@link ShownExecutions}.
 */
@ConsoleController
class ExecutionPages {
  static final int PAGE_SIZE = 25;

  private final ExecutionQueries queries;
  private final ExecutionQueue queue;
  private final JdbcClient jdbc;
  private final DeploymentIds deploymentIds;
  private final ShownExecutions shown;
  private final Metrics metrics;

  ExecutionPages(
      ExecutionQueries queries,
      ExecutionQueue queue,
      JdbcClient jdbc,
      DeploymentIds deploymentIds,
      ShownExecutions shown,
      Metrics metrics) {
    this.queries = queries;
    this.queue = queue;
    this.jdbc = jdbc;
    this.deploymentIds = deploymentIds;
    this.shown = shown;
    this.metrics = metrics;
  }

  @GetMapping("/console/executions")
  String list(
      @AuthenticationPrincipal Caller caller,
      @RequestParam(required = false) String deployment,
      @RequestParam(required = false) String status,
      @RequestParam(defaultValue = "1") int page,
      Model model) {
    rows(caller, deployment, status, page, model);
    model.addAttribute(
        "deployments",
        jdbc.sql("SELECT name FROM deployments WHERE account_id = :a ORDER BY name")
            .param("a", caller.accountId())
            .query(String.class)
            .list());
    model.addAttribute("statuses", ExecutionStatus.values());
    return "console/executions";
  }

  /** The table's rows alone, which the list page polls. */
  @GetMapping("/console/executions/rows")
  String rows(
      @AuthenticationPrincipal Caller caller,
      @RequestParam(required = false) String deployment,
      @RequestParam(required = false) String status,
      @RequestParam(defaultValue = "1") int page,
      Model model) {
    Long deploymentId = null;
    if (deployment != null && !deployment.isBlank()) {
      deploymentId = deploymentIds.find(caller.accountId(), deployment);
    }
    Set<ExecutionStatus> statuses =
        status == null || status.isBlank()
            ? Set.of()
            : Set.of(
                Arrays.stream(ExecutionStatus.values())
                    .filter(s -> s.name().equals(status))
                    .findFirst()
                    .orElseThrow(
                        () -> ApiException.badRequest("no status named '" + status + "'")));
    int current = Math.max(1, page);
    // One more than a page: whether there is a next one.
    List<ExecutionView> found =
        queries
            .list(
                caller.accountId(),
                statuses,
                deploymentId,
                PAGE_SIZE + 1,
                (current - 1) * PAGE_SIZE)
            .stream()
            .map(ExecutionView::of)
            .toList();
    model.addAttribute("executions", found.stream().limit(PAGE_SIZE).toList());
    model.addAttribute("page", current);
    model.addAttribute("hasNext", found.size() > PAGE_SIZE);
    model.addAttribute("deployment", deployment == null ? "" : deployment);
    model.addAttribute("status", status == null ? "" : status);
    return "console/executions :: rows";
  }

  @GetMapping("/console/executions/{id}")
  String show(@AuthenticationPrincipal Caller caller, @PathVariable String id, Model model) {
    model.addAttribute("e", shown.find(caller, id));
    return "console/execution";
  }

  /** The parts of the page that change while the execution runs, which the page polls. */
  @GetMapping("/console/executions/{id}/live")
  String live(@AuthenticationPrincipal Caller caller, @PathVariable String id, Model model) {
    model.addAttribute("e", shown.find(caller, id));
    return "console/execution :: live";
  }

  @PostMapping("/console/executions/{id}/cancel")
  String cancel(
      @AuthenticationPrincipal Caller caller, @PathVariable String id, RedirectAttributes flash) {
    UUID uuid = ExecutionIds.parse(id);
    ExecutionQueue.Cancellation c =
        queue
            .tryCancel(caller.accountId(), uuid)
            .orElseThrow(() -> ApiException.notFound("no execution with id " + id));
    if (c.cancelled()) {
      metrics.finishedIds(List.of(uuid));
      flash.addFlashAttribute("notice", "Cancelled.");
    } else {
      flash.addFlashAttribute(
          "notice", "It had already finished (" + c.row().status() + "): nothing to cancel.");
    }
    return "redirect:/console/executions/" + uuid;
  }
}
