package io.faaspot.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name of an environment, which is also its directory: the Python version and (the start of)
 * the requirements' hash, as the server sent it, else as hashed here.
 */
final class EnvironmentKey {
  private EnvironmentKey() {}

  static String of(String requirementsHash, String requirements, String pythonVersion) {
    String hash = requirementsHash;
    if (hash == null || hash.isBlank()) {
      try {
        hash =
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256")
                        .digest(requirements.strip().getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return "py" + pythonVersion + "-" + hash.substring(0, Math.min(24, hash.length()));
  }
}
