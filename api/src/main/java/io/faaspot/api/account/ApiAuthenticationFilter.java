package io.faaspot.api.account;

import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.ErrorBody;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authenticates users of {@code /api/**}. A request without credentials passes on (and is then
 * refused by the rules with 401); one with bad credentials is refused here, naming the problem, and
 * one from a client that failed too often with 429 and {@code Retry-After}.
 */
public final class ApiAuthenticationFilter extends OncePerRequestFilter {
  private final AuthenticateCaller authenticate;
  private final JsonMapper json;

  public ApiAuthenticationFilter(AuthenticateCaller authenticate, JsonMapper json) {
    this.authenticate = authenticate;
    this.json = json;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    // The metrics are the admin's too: Prometheus sends "Authorization: Token ..." as configured.
    return !path.startsWith("/api/") && !path.equals("/actuator/prometheus");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header != null && !header.isBlank()) {
      try {
        // The TCP peer, or the client that Spring's forward-headers strategy found, if configured.
        Caller caller = authenticate.authenticate(header, request.getRemoteAddr());
        List<SimpleGrantedAuthority> roles = new ArrayList<>();
        roles.add(new SimpleGrantedAuthority("ROLE_USER"));
        if (caller.admin()) {
          roles.add(new SimpleGrantedAuthority("ROLE_ADMIN"));
        }
        var auth = UsernamePasswordAuthenticationToken.authenticated(caller, null, roles);
        SecurityContextHolder.getContext().setAuthentication(auth);
      } catch (ApiException e) {
        ErrorBody.write(response, json, e);
        return;
      }
    }
    chain.doFilter(request, response);
  }
}
