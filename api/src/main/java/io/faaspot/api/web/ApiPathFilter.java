package io.faaspot.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Maps every spelling of a path the old clients use onto one canonical path, before security and
 * routing see it, so that controllers map each endpoint once:
 *
 * <ul>
 *   <li>{@code /v1/...} (later clients) is {@code /api/...};
 *   <li>{@code functions} (later clients' word) is {@code deployments}, also under {@code sync/};
 *   <li>a trailing slash is dropped (the client sends it, its docs and curl users often do not).
 * </ul>
 *
 * It also refuses bodies over the size limit by their declared length, before anything reads them
 * (bodies without a length are counted as they are read, see {@link RequestBodies}).
 */
public final class ApiPathFilter extends OncePerRequestFilter {
  private final JsonMapper json;
  private final long maxRequestBytes;
  private final long maxAgentRequestBytes;

  public ApiPathFilter(JsonMapper json, long maxRequestBytes, long maxAgentRequestBytes) {
    this.json = json;
    this.maxRequestBytes = maxRequestBytes;
    this.maxAgentRequestBytes = maxAgentRequestBytes;
  }

  /** PostgreSQL stores no NUL character, in text or in JSON: refused wherever it comes in. */
  static final String NUL_REFUSED =
      "the request holds a NUL character (%00 or \\u0000), which cannot be stored";

  static boolean fromAgent(HttpServletRequest request) {
    return request.getRequestURI().startsWith(request.getContextPath() + "/agent/");
  }

  static String canonical(String uri) {
    String path = uri;
    if (path.equals("/v1") || path.startsWith("/v1/")) {
      path = "/api" + path.substring(3);
    }
    if (path.startsWith("/api/functions")) {
      path = "/api/deployments" + path.substring("/api/functions".length());
    } else if (path.startsWith("/api/sync/functions")) {
      path = "/api/sync/deployments" + path.substring("/api/sync/functions".length());
    }
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return path;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long length = request.getContentLengthLong();
    long limit = fromAgent(request) ? maxAgentRequestBytes : maxRequestBytes;
    if (length > limit) {
      ErrorBody.write(
          response,
          json,
          HttpStatus.PAYLOAD_TOO_LARGE,
          "too_large",
          "request body of " + length + " bytes is over the limit of " + limit);
      return;
    }
    String query = request.getQueryString();
    if (query != null && query.contains("%00")) {
      ErrorBody.write(response, json, HttpStatus.BAD_REQUEST, "nul_character", NUL_REFUSED);
      return;
    }
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    String path = uri.substring(context.length());
    String canonical = canonical(path);
    if (canonical.equals(path)) {
      chain.doFilter(request, response);
      return;
    }
    chain.doFilter(new Rewritten(request, context + canonical, canonical), response);
  }

  private static final class Rewritten extends HttpServletRequestWrapper {
    private final String uri;
    private final String servletPath;

    Rewritten(HttpServletRequest request, String uri, String servletPath) {
      super(request);
      this.uri = uri;
      this.servletPath = servletPath;
    }

    @Override
    public String getRequestURI() {
      return uri;
    }

    @Override
    public String getServletPath() {
      return servletPath;
    }

    @Override
    public String getPathInfo() {
      return null;
    }

    @Override
    public StringBuffer getRequestURL() {
      StringBuffer url = new StringBuffer();
      url.append(getScheme()).append("://").append(getServerName());
      int port = getServerPort();
      if (port > 0
          && !(port == 80 && "http".equals(getScheme()))
          && !(port == 443 && "https".equals(getScheme()))) {
        url.append(':').append(port);
      }
      return url.append(uri);
    }
  }
}
