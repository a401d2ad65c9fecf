package io.faaspot.api.deployment;

import io.faaspot.api.config.ApiProperties;
import io.faaspot.api.web.ApiException;
import tools.jackson.databind.JsonNode;

/**
 * A deployment's timeout as the API's body and the console's form give it: whole seconds from 1 to
 * {@link #MAX_SECONDS}, the server's default when absent. In one place so that both read the same
 * bounds and say the same thing when refusing.
 */
final class DeploymentTimeouts {
  static final int MAX_SECONDS = 900;

  private DeploymentTimeouts() {}

  /** The server's default timeout, in whole seconds (at least 1). */
  static int defaultSeconds(ApiProperties api) {
    return (int) Math.max(1, api.defaultTimeout().toSeconds());
  }

  /** The body's optional {@code timeout} (seconds, number or string); 0 when absent. */
  static int fromBody(JsonNode body) {
    JsonNode t = body.has("timeout") ? body.get("timeout") : body.get("timeout_seconds");
    if (t == null || t.isNull() || (t.isString() && t.asString().isBlank())) {
      return 0;
    }
    try {
      // A fraction, a number past an int, an array or an object: refused below, as any other.
      int seconds =
          t.isIntegralNumber() && t.canConvertToInt()
              ? t.intValue()
              : t.isString() ? Integer.parseInt(t.asString().strip()) : 0;
      if (seconds >= 1 && seconds <= MAX_SECONDS) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw refused();
  }

  /** The form's timeout field; the default when left blank. */
  static int fromForm(String value, ApiProperties api) {
    if (value.isBlank()) {
      return defaultSeconds(api);
    }
    try {
      int seconds = Integer.parseInt(value.strip());
      if (seconds >= 1 && seconds <= MAX_SECONDS) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw refused();
  }

  private static ApiException refused() {
    return ApiException.badRequest(
        "timeout must be a whole number of seconds from 1 to " + MAX_SECONDS);
  }
}
