package io.faaspot.api.account;

import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.ConsoleController;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's sign-in: a username and password, or a token, checked exactly as the API checks
 * them (throttle included). Success starts a new session (never the one the form was served in, so
 * a planted session id or CSRF token is worth nothing); sign-out is Spring Security's logout.
 */
@ConsoleController
class SignInPage {
  private final ConsoleSignIn signIn;
  private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

  SignInPage(ConsoleSignIn signIn) {
    this.signIn = signIn;
  }

  @GetMapping("/console/sign-in")
  String form() {
    return "console/sign-in";
  }

  @PostMapping("/console/sign-in")
  String signIn(
      @RequestParam(required = false) String username,
      @RequestParam(required = false) String password,
      @RequestParam(required = false) String token,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    SignedIn signedIn;
    try {
      if (token != null && !token.isBlank()) {
        signedIn = signIn.withToken(token.strip(), request.getRemoteAddr());
      } else if (username != null && !username.isBlank() && password != null) {
        signedIn = signIn.withPassword(username.strip(), password, request.getRemoteAddr());
      } else {
        throw ApiException.unauthorized("enter a username and password, or a token");
      }
    } catch (ApiException e) {
      response.setStatus(e.status().value());
      model.addAttribute("error", e.getMessage());
      model.addAttribute("username", username);
      return "console/sign-in";
    }
    HttpSession old = request.getSession(false);
    if (old != null) {
      old.invalidate();
    }
    request.getSession(true);
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(
        ConsoleSignIn.authentication(signedIn.caller(), signedIn.credential()));
    SecurityContextHolder.setContext(context);
    contexts.saveContext(context, request, response);
    return "redirect:/console/executions";
  }
}
