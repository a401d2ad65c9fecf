package io.faaspot.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * While the embedded PostgreSQL is down (between its death and the end of its restart), requests
 * are answered at once with 503 and {@code Retry-After}, before authentication and before any wait
 * for a connection: a caller learns in milliseconds to come back, instead of holding a request open
 * for the pool's timeout. Health probes pass, so that readiness can say DOWN.
 */
final class DatabaseAway extends OncePerRequestFilter {
  static final int RETRY_AFTER_SECONDS = 1;

  private final BooleanSupplier databaseRunning;
  private final JsonMapper json;

  DatabaseAway(BooleanSupplier databaseRunning, JsonMapper json) {
    this.databaseRunning = databaseRunning;
    this.json = json;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return request.getRequestURI().startsWith("/actuator/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (databaseRunning.getAsBoolean()) {
      chain.doFilter(request, response);
      return;
    }
    ErrorBody.write(
        response,
        json,
        ApiException.unavailable(
            "database_unavailable",
            "the database is restarting; try again shortly",
            RETRY_AFTER_SECONDS));
  }
}
