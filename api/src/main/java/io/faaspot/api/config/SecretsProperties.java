package io.faaspot.api.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The key deployment contexts are encrypted with (see README, Secrets). Kept apart from {@link
 * FaaspotProperties} so that its values never appear in that record's {@code toString}.
 *
 * @param secretsKey base64 of the 32-byte AES key contexts are encrypted with; when absent, the key
 *     in {@code <data-dir>/secrets-key}, generated at the first start
 * @param secretsPreviousKey the key before a rotation: contexts still encrypted with it are
 *     re-encrypted with {@code secretsKey} at start
 */
@ConfigurationProperties("faaspot")
public record SecretsProperties(String secretsKey, String secretsPreviousKey) {
  public SecretsProperties {
    if (secretsKey != null && secretsKey.isBlank()) {
      secretsKey = null;
    }
    if (secretsPreviousKey != null && secretsPreviousKey.isBlank()) {
      secretsPreviousKey = null;
    }
  }

  /** Says whether the keys are set, never what they are: this may end up in a log. */
  @Override
  public String toString() {
    return "SecretsProperties[secretsKey="
        + (secretsKey == null ? "absent" : "set")
        + ", secretsPreviousKey="
        + (secretsPreviousKey == null ? "absent" : "set")
        + "]";
  }
}
