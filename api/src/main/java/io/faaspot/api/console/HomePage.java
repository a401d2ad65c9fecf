package io.faaspot.api.console;

import io.faaspot.api.web.ConsoleController;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /console/} (its slash dropped like every path's) opens on the live executions. */
@ConsoleController
class HomePage {
  @GetMapping("/console")
  String home() {
    return "redirect:/console/executions";
  }
}
