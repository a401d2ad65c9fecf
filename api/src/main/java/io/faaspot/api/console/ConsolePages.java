package io.faaspot.api.console;

import io.faaspot.api.account.Caller;
import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.ConsoleController;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every console page shares: who is signed in (for the navigation), and the one place where a
 * refused action becomes an error page with the API's status and message (404 for another account's
 * deployment, execution or spot, exactly as the API answers).
 */
@ControllerAdvice(annotations = ConsoleController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsolePages {
  @ModelAttribute("me")
  Caller me() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    return auth != null && auth.getPrincipal() instanceof Caller caller ? caller : null;
  }

  @ExceptionHandler(ApiException.class)
  String refused(ApiException e, HttpServletResponse response, Model model) {
    response.setStatus(e.status().value());
    model.addAttribute("status", e.status().value());
    model.addAttribute("message", e.getMessage());
    model.addAttribute("me", me());
    return "console/error";
  }
}
