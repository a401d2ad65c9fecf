package io.faaspot.api.deployment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The key of a deployment's Python environment: a digest of its requirements, normalised so that
 * order, comments, blank lines, case and spacing do not force a second build of the same
 * environment. (The agent adds the Python version to it.)
 */
final class Requirements {
  private Requirements() {}

  static String normalise(String requirements) {
    TreeSet<String> lines = new TreeSet<>();
    for (String raw : requirements.split("\\R")) {
      String line = raw;
      int hash = line.indexOf(" #");
      if (line.startsWith("#")) {
        continue;
      }
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      line = line.strip().replaceAll("\\s+", "");
      if (!line.isEmpty()) {
        lines.add(line.toLowerCase(Locale.ROOT).replace('_', '-'));
      }
    }
    return String.join("\n", lines);
  }

  static String hash(String requirements) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(normalise(requirements).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
