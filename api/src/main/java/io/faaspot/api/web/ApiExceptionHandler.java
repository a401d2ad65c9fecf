package io.faaspot.api.web;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** The one place where failures become the JSON error body; never a 500 for a caller's mistake. */
@RestControllerAdvice
class ApiExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<Map<String, Object>> api(ApiException e) {
    ResponseEntity<Map<String, Object>> answer =
        body(e.status(), e.errorCode(), e.getMessage(), e.extra());
    if (e.retryAfterSeconds() == null) {
      return answer;
    }
    return ResponseEntity.status(answer.getStatusCode())
        .headers(answer.getHeaders())
        .header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds().toString())
        .body(answer.getBody());
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<Map<String, Object>> noRoute(NoResourceFoundException e) {
    return body(
        HttpStatus.NOT_FOUND, "not_found", "no such endpoint: /" + e.getResourcePath(), Map.of());
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<Map<String, Object>> method(HttpRequestMethodNotSupportedException e) {
    return body(
        HttpStatus.METHOD_NOT_ALLOWED,
        "method_not_allowed",
        e.getMethod() + " is not supported here; use " + e.getSupportedHttpMethods(),
        Map.of());
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<Map<String, Object>> mediaType(HttpMediaTypeNotSupportedException e) {
    return body(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", e.getMessage(), Map.of());
  }

  @ExceptionHandler({
    MissingServletRequestParameterException.class,
    MethodArgumentTypeMismatchException.class
  })
  ResponseEntity<Map<String, Object>> badParameter(Exception e) {
    String message = e.getMessage();
    if (e instanceof MethodArgumentTypeMismatchException m) {
      message =
          m.getName() + " must be " + kind(m.getRequiredType()) + ", not '" + m.getValue() + "'";
    }
    return body(HttpStatus.BAD_REQUEST, "bad_request", message, Map.of());
  }

  private static String kind(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == java.util.UUID.class) {
      return "a UUID";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    return type == null ? "of another kind" : "a " + type.getSimpleName();
  }

  /**
   * A query or form parameter Tomcat could not decode (a broken percent escape, bytes that are not
   * UTF-8, a form over its size), or a multipart body that does not parse: the caller's, a 400.
   */
  @ExceptionHandler({
    org.apache.tomcat.util.http.InvalidParameterException.class,
    org.springframework.web.multipart.MultipartException.class
  })
  ResponseEntity<Map<String, Object>> undecodable(Exception e) {
    return body(
        HttpStatus.BAD_REQUEST,
        "bad_parameters",
        "the request's parameters could not be read: " + e.getMessage(),
        Map.of());
  }

  /**
   * The database could not be reached (its pool gave up waiting for a connection): a 503 the caller
   * may retry, not a 500.
   */
  @ExceptionHandler({
    org.springframework.dao.DataAccessResourceFailureException.class,
    org.springframework.transaction.CannotCreateTransactionException.class,
    java.sql.SQLTransientConnectionException.class
  })
  ResponseEntity<Map<String, Object>> databaseAway(Exception e) {
    log.warn("the database is unreachable: {}", e.getMessage());
    return api(
        ApiException.unavailable(
            "database_unavailable", "the database is unreachable; try again shortly", 2));
  }

  /**
   * The caller accepts nothing this route answers (say, only HTML from a JSON route): 406, with no
   * body, since none it would take can be written.
   */
  @ExceptionHandler(org.springframework.web.HttpMediaTypeNotAcceptableException.class)
  ResponseEntity<Void> notAcceptable() {
    return ResponseEntity.status(HttpStatus.NOT_ACCEPTABLE).build();
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Map<String, Object>> unexpected(Exception e) {
    if (connectionLost(e)) {
      // The database went away in the middle of this request (it crashed, or is being
      // restarted): nothing was committed, and the caller may retry like any 503.
      return databaseAway(e);
    }
    log.error("unexpected failure", e);
    return body(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "internal_error",
        "internal server error: " + e.getClass().getSimpleName(),
        Map.of());
  }

  /**
   * Whether a failure comes from a lost database connection, however the layers above wrapped it:
   * an SQL state of class 08 (connection exception) or 57P (the server shut down or crashed), or
   * the pool's own "Connection is closed" (which carries no state) when a transaction could not
   * even be rolled back on it.
   */
  static boolean connectionLost(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.sql.SQLException sql) {
        String state = sql.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
          return true;
        }
        if (state == null && "Connection is closed".equals(sql.getMessage())) {
          return true;
        }
      }
    }
    return false;
  }

  static ResponseEntity<Map<String, Object>> body(
      HttpStatus status, String code, String message, Map<String, Object> extra) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(ErrorBody.of(status, code, message, extra));
  }
}
