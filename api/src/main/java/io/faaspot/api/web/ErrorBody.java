package io.faaspot.api.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
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

  /** For filters, which run before Spring MVC's message converters. */
  public static byte[] bytes(JsonMapper json, HttpStatus status, String errorCode, String message) {
    return json.writeValueAsBytes(of(status, errorCode, message, Map.of()));
  }
}
