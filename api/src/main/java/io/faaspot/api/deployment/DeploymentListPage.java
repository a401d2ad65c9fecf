package io.faaspot.api.deployment;

import io.faaspot.api.account.Caller;
import io.faaspot.api.config.ApiProperties;
import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.ConsoleController;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's list of deployments, with a form to create one: the same checks and service as
 * {@link DeploymentController}'s create. A refused create shows the list again with the error and
 * what was typed ({@link DeploymentDraft}). One deployment's page is {@link DeploymentPage}.
 */
@ConsoleController
class DeploymentListPage {
  /** One line of the list. */
  record Row(String name, int version, int timeout, String requirements, Instant updated) {}

  private final DeploymentRepository deployments;
  private final ManageDeployments manage;
  private final RequirementsCheck requirementsCheck;
  private final ApiProperties api;

  DeploymentListPage(
      DeploymentRepository deployments,
      ManageDeployments manage,
      RequirementsCheck requirementsCheck,
      ApiProperties api) {
    this.deployments = deployments;
    this.manage = manage;
    this.requirementsCheck = requirementsCheck;
    this.api = api;
  }

  @GetMapping("/console/deployments")
  String list(@AuthenticationPrincipal Caller caller, Model model) {
    if (!model.containsAttribute("draft")) {
      model.addAttribute("draft", DeploymentDraft.empty());
    }
    model.addAttribute(
        "deployments",
        deployments.ofAccount(caller.accountId()).stream()
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
      HttpServletResponse response,
      Model model) {
    DeploymentDraft draft = new DeploymentDraft(name, code, requirements, context, timeout);
    try {
      String checked = DeploymentName.check(name.strip());
      if (code.isBlank()) {
        throw ApiException.badRequest(
            "code is required: the Python file defining main(args, context)");
      }
      requirementsCheck.check(requirements);
      int seconds = DeploymentTimeouts.fromForm(timeout, api);
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

  /** Browsers send a textarea's lines with CRLF; a Python file is kept as the API keeps it. */
  private static String lf(String text) {
    return text.replace("\r\n", "\n");
  }
}
