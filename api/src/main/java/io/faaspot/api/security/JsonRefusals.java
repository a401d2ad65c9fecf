package io.faaspot.api.security;

import io.faaspot.api.web.ErrorBody;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import tools.jackson.databind.json.JsonMapper;

/**
 * 401 and 403 are JSON like every other error, for the API's chain and the agents' alike (the
 * console's chain sends the browser to its sign-in page instead).
 */
final class JsonRefusals {
  private JsonRefusals() {}

  static void apply(HttpSecurity http, JsonMapper json) {
    http.exceptionHandling(
        e ->
            e.authenticationEntryPoint(
                    (req, res, ex) ->
                        write(
                            res,
                            json,
                            HttpStatus.UNAUTHORIZED,
                            "authentication required: send 'Authorization: Token <token>'"))
                .accessDeniedHandler(
                    (req, res, ex) ->
                        write(res, json, HttpStatus.FORBIDDEN, "not allowed for this account")));
  }

  private static void write(
      HttpServletResponse res, JsonMapper json, HttpStatus status, String message)
      throws IOException {
    String code = status == HttpStatus.UNAUTHORIZED ? "unauthorized" : "forbidden";
    ErrorBody.write(res, json, status, code, message);
  }
}
