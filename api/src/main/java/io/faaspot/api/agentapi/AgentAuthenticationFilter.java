package io.faaspot.api.agentapi;

import io.faaspot.api.account.AuthThrottle;
import io.faaspot.api.spot.AgentIdentity;
import io.faaspot.api.spot.SpotRegistrations;
import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.ErrorBody;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authenticates agents on {@code /agent/v1/**} by the credential they got at registration ({@code
 * Authorization: Bearer <credential>}). Agents and users never share credentials: a user token is
 * not an agent credential, and the other way round. Failed credentials count against the client's
 * address as users' do ({@link AuthThrottle}): past the limit, only a credential this node has
 * accepted before is still looked up.
 */
public final class AgentAuthenticationFilter extends OncePerRequestFilter {
  static final String PREFIX = "/agent/v1/";

  private final SpotRegistrations registrations;
  private final AuthThrottle throttle;
  private final JsonMapper json;

  public AgentAuthenticationFilter(
      SpotRegistrations registrations, AuthThrottle throttle, JsonMapper json) {
    this.registrations = registrations;
    this.throttle = throttle;
    this.json = json;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return !path.startsWith(PREFIX)
        || path.equals(PREFIX + "register")
        || path.equals(PREFIX + "agent.jar");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || header.isBlank()) {
      chain.doFilter(request, response);
      return;
    }
    String value = header.strip();
    int space = value.indexOf(' ');
    String scheme = space < 0 ? "" : value.substring(0, space);
    String credential =
        scheme.equalsIgnoreCase("Bearer") || scheme.equalsIgnoreCase("Agent")
            ? value.substring(space + 1).strip()
            : null;
    String address = request.getRemoteAddr();
    if (credential != null && !registrations.known(credential)) {
      try {
        throttle.checkAddress(address);
      } catch (ApiException e) {
        ErrorBody.write(response, json, e);
        return;
      }
    }
    Optional<AgentIdentity> agent =
        credential == null ? Optional.empty() : registrations.authenticate(credential);
    if (agent.isEmpty()) {
      if (credential != null) {
        throttle.failed(address);
      }
      ErrorBody.write(
          response,
          json,
          HttpStatus.UNAUTHORIZED,
          "unauthorized",
          "unknown or revoked agent credential (or the spot was removed)");
      return;
    }
    var auth =
        UsernamePasswordAuthenticationToken.authenticated(
            agent.get(), null, List.of(new SimpleGrantedAuthority("ROLE_AGENT")));
    SecurityContextHolder.getContext().setAuthentication(auth);
    try {
      chain.doFilter(request, response);
    } finally {
      // The agents' chain keeps no security context of its own to clear.
      SecurityContextHolder.clearContext();
    }
  }
}
