package io.faaspot.api.deployment;

import io.faaspot.api.web.ApiException;
import java.util.regex.Pattern;

/**
 * Valid deployment names: 1 to 64 characters of letters, digits, {@code _}, {@code -} and {@code
 * .}, starting with a letter or digit, never containing {@code ..}. They appear in URLs and file
 * names on spots, so nothing else is allowed (no {@code /}, no spaces).
 */
final class DeploymentName {
  static final int MAX_LENGTH = 64;
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private DeploymentName() {}

  static String check(String name) {
    if (name == null || name.isEmpty()) {
      throw ApiException.badRequest("invalid_name", "a deployment name is required");
    }
    if (name.length() > MAX_LENGTH) {
      throw ApiException.badRequest(
          "invalid_name", "deployment name is longer than " + MAX_LENGTH + " characters");
    }
    if (!VALID.matcher(name).matches() || name.contains("..")) {
      throw ApiException.badRequest(
          "invalid_name",
          "invalid deployment name '"
              + name
              + "': use letters, digits, '_', '-' and '.', starting with a letter or digit,"
              + " without '..'");
    }
    return name;
  }
}
