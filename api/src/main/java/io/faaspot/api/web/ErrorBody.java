package io.faaspot.api.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON error body of API.md: {@code message} is what the old client prints, {@code detail} its
 * fallback, {@code error_code} a stable word for scripts.
 */
public final class ErrorBody {
  private ErrorBody() {}

  public static Map<String, Object> of(
      HttpStatus status, String errorCode, String message, Map<String, Object> extra) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", message);
    body.put("detail", message);
    body.put("error_code", errorCode);
    body.put("status", status.value());
    body.putAll(extra);
    return body;
  }

  /**
   * Answers a refusal from a filter or a security handler, which run before Spring MVC's message
   * converters: the status and the JSON body.
   */
  public static void write(
      HttpServletResponse response,
      JsonMapper json,
      HttpStatus status,
      String errorCode,
      String message)
      throws IOException {
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response
        .getOutputStream()
        .write(json.writeValueAsBytes(of(status, errorCode, message, Map.of())));
  }

  /**
   * Answers a filter's refusal as {@link ApiExceptionHandler} answers a controller's: the status,
   * {@code Retry-After} when the caller should wait, and the JSON body.
   */
  public static void write(HttpServletResponse response, JsonMapper json, ApiException e)
      throws IOException {
    response.setStatus(e.status().value());
    if (e.retryAfterSeconds() != null) {
      response.setHeader(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds().toString());
    }
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response
        .getOutputStream()
        .write(json.writeValueAsBytes(of(e.status(), e.errorCode(), e.getMessage(), e.extra())));
  }
}
