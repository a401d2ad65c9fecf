package io.faaspot.api.account;

import io.faaspot.api.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An {@code Authorization} header in the forms every version of the old client sends, parsed apart
 * from the lookups that follow: a scheme, then credentials possibly wrapped as {@code b'...'} (the
 * client under Python 3 formats bytes that way), Basic ones in either base64 alphabet.
 */
record AuthorizationHeader(String scheme, String credentials) {

  /**
   * @throws ApiException 401 if there is no scheme
   */
  static AuthorizationHeader parse(String header) {
    String value = header.strip();
    int space = value.indexOf(' ');
    if (space < 0) {
      throw ApiException.unauthorized(
          "malformed Authorization header: expected 'Token <token>' or 'Basic <credentials>'");
    }
    return new AuthorizationHeader(
        value.substring(0, space), unwrapBytes(value.substring(space + 1).strip()));
  }

  /** {@code b'abc'} or {@code b"abc"} is how Python 3 prints bytes; the client sends that. */
  static String unwrapBytes(String value) {
    if (value.length() >= 3
        && value.charAt(0) == 'b'
        && (value.charAt(1) == '\'' || value.charAt(1) == '"')
        && value.charAt(value.length() - 1) == value.charAt(1)) {
      return value.substring(2, value.length() - 1);
    }
    return value;
  }

  /** The client uses the URL-safe alphabet; curl and browsers the standard one. Accept both. */
  static String decodeBase64(String value) {
    String normalised = value.replace('-', '+').replace('_', '/');
    int pad = normalised.length() % 4;
    if (pad == 2) {
      normalised += "==";
    } else if (pad == 3) {
      normalised += "=";
    }
    try {
      return new String(Base64.getDecoder().decode(normalised), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.unauthorized("malformed Basic credentials: not base64");
    }
  }
}
