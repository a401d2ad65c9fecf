package io.faaspot.api.secrets;

import io.faaspot.api.config.SecretsProperties;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The keys contexts are sealed with: {@code faaspot.secrets-key}, or else the key file in the data
 * directory (written at the first start, {@link SecretsKeyFile}), and the key before a rotation,
 * {@code faaspot.secrets-previous-key}, which only opens.
 *
 * @param currentSource where the current key came from, for messages: the property or the file
 * @param previous null when no rotation is under way
 */
record ContextKeys(ContextKey current, String currentSource, ContextKey previous) {
  static final String KEY_FILE = "secrets-key";

  /** The key with this id, or null when it is neither of these. */
  ContextKey withId(String id) {
    if (current.id().equals(id)) {
      return current;
    }
    return previous != null && previous.id().equals(id) ? previous : null;
  }

  static ContextKeys load(SecretsProperties props, Path dataDir) {
    Path file = dataDir.toAbsolutePath().resolve(KEY_FILE);
    String source =
        props.secretsKey() != null
            ? "faaspot.secrets-key"
            : "faaspot.secrets-key (unset, so the key file " + file + ")";
    ContextKey current =
        props.secretsKey() != null
            ? decode(props.secretsKey(), "faaspot.secrets-key")
            : SecretsKeyFile.read(file);
    ContextKey previous =
        props.secretsPreviousKey() == null
            ? null
            : decode(props.secretsPreviousKey(), "faaspot.secrets-previous-key");
    if (previous != null && previous.id().equals(current.id())) {
      previous = null;
    }
    return new ContextKeys(current, source, previous);
  }

  /**
   * A key as configured. The messages never quote the value: it would end up in the log.
   *
   * @param where the property or file it came from
   */
  static ContextKey decode(String base64, String where) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          where
              + " is not base64; it must be the base64 of 32 random bytes (e.g. `openssl rand"
              + " -base64 32`); see README, Secrets");
    }
    if (bytes.length != ContextKey.KEY_BYTES) {
      throw new IllegalStateException(
          where
              + " must be the base64 of 32 random bytes (e.g. `openssl rand -base64 32`), but it"
              + " holds "
              + bytes.length
              + " bytes; see README, Secrets");
    }
    return new ContextKey(bytes);
  }
}
