package io.faaspot.api.web;

import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A caller-visible failure: its status, a stable error code and a message the old client prints.
 * {@code extra} is merged into the JSON error body (e.g. the execution id to poll).
 */
public class ApiException extends RuntimeException {
  /** The error body's field for the seconds a refused caller should wait. */
  public static final String RETRY_AFTER = "retry_after";

  private final HttpStatus status;
  private final String errorCode;
  private final Map<String, Object> extra;

  public ApiException(
      HttpStatus status, String errorCode, String message, Map<String, Object> extra) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
    this.extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  public static ApiException badRequest(String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, "bad_request", message, null);
  }

  public static ApiException badRequest(String errorCode, String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, errorCode, message, null);
  }

  public static ApiException notFound(String message) {
    return new ApiException(HttpStatus.NOT_FOUND, "not_found", message, null);
  }

  public static ApiException conflict(String message) {
    return new ApiException(HttpStatus.CONFLICT, "conflict", message, null);
  }

  public static ApiException tooLarge(String message) {
    return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "too_large", message, null);
  }

  /**
   * 429: the caller may try again in {@code retryAfterSeconds}, which the answer's {@code
   * Retry-After} header and its {@code retry_after} field carry.
   */
  public static ApiException tooManyRequests(
      String errorCode, String message, long retryAfterSeconds) {
    return new ApiException(
        HttpStatus.TOO_MANY_REQUESTS, errorCode, message, Map.of(RETRY_AFTER, retryAfterSeconds));
  }

  /** 503: the service (its database) is away; the caller may try again in that many seconds. */
  public static ApiException unavailable(String errorCode, String message, long retryAfterSeconds) {
    return new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE, errorCode, message, Map.of(RETRY_AFTER, retryAfterSeconds));
  }

  public static ApiException unauthorized(String message) {
    return new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", message, null);
  }

  public HttpStatus status() {
    return status;
  }

  public String errorCode() {
    return errorCode;
  }

  public Map<String, Object> extra() {
    return extra;
  }

  /** The seconds to send as {@code Retry-After}, if the caller should wait. */
  public Long retryAfterSeconds() {
    return extra.get(RETRY_AFTER) instanceof Long seconds ? seconds : null;
  }
}
