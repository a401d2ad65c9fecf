package io.faaspot.api.account;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Asks, on every console request, whether the session's credentials still hold (see {@link
 * ConsoleSignIn#stillValid}): once its token is revoked or its password changed, the session is
 * ended and the request goes on unauthenticated (so to the sign-in page). An admin flag changed
 * since sign-in takes effect at once too.
 */
public final class ConsoleSessionFilter extends OncePerRequestFilter {
  private final ConsoleSignIn signIn;

  public ConsoleSessionFilter(ConsoleSignIn signIn) {
    this.signIn = signIn;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    SecurityContext context = SecurityContextHolder.getContext();
    Authentication auth = context.getAuthentication();
    if (auth != null && auth.getCredentials() instanceof SessionCredential c) {
      Optional<Caller> caller = signIn.stillValid(c);
      if (caller.isEmpty()) {
        HttpSession session = request.getSession(false);
        if (session != null) {
          session.invalidate();
        }
        SecurityContextHolder.clearContext();
      } else if (!caller.get().equals(auth.getPrincipal())) {
        // The context object is the session's own: changing it changes what the session holds.
        context.setAuthentication(ConsoleSignIn.authentication(caller.get(), c));
      }
    }
    chain.doFilter(request, response);
  }
}
