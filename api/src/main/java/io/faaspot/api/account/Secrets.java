package io.faaspot.api.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random bearer secrets (API tokens, agent credentials, registration secrets) and their stored
 * digests. A secret carries 256 random bits, so a fast digest is enough: there is nothing to
 * brute-force, and lookups by digest keep authentication to one indexed query.
 */
public final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** A new secret: the prefix, then 32 random bytes in URL-safe base64. */
  public static String generate(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static byte[] digest(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }

  /** Compares digests in time independent of where they differ. */
  public static boolean matches(byte[] expected, String secret) {
    return MessageDigest.isEqual(expected, digest(secret));
  }
}
