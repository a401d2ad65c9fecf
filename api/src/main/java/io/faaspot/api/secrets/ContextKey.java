package io.faaspot.api.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES-256 key that seals strings with AES-GCM: a random 96-bit IV per value, a 128-bit tag, and
 * associated data naming what the value belongs to. A sealed value reads {@code v1:<key id>:<base64
 * of iv, ciphertext and tag>}: the version tells sealed values from the plain text older servers
 * stored, and the key id (the first 4 bytes of an HMAC of a constant under the key, which says
 * nothing of the key) tells which key sealed it, so a rotation finds what to re-encrypt with SQL.
 *
 * <p>The JDK's own AES/GCM rather than Spring Security's {@code AesBytesEncryptor}: that one takes
 * a raw key, but has no associated data, and the associated data is what binds a context to its
 * deployment version. Without it, whoever can write to the database could copy one tenant's sealed
 * context into another tenant's row and have it decrypted for that tenant's function. A {@code
 * Cipher} is not thread-safe, so each call takes its own (a few microseconds).
 */
final class ContextKey {
  static final String VERSION = "v1:";
  static final int KEY_BYTES = 32;
  private static final int ID_CHARS = 8;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final String id;

  ContextKey(byte[] bytes) {
    if (bytes.length != KEY_BYTES) {
      throw new IllegalArgumentException("an AES-256 key has 32 bytes, not " + bytes.length);
    }
    this.key = new SecretKeySpec(bytes, "AES");
    this.id = idOf(bytes);
  }

  /** A new random key, as base64. */
  static String generate() {
    byte[] bytes = new byte[KEY_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  String id() {
    return id;
  }

  String seal(String plaintext, String boundTo) {
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      ByteBuffer out = ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed);
      return VERSION + id + ":" + Base64.getEncoder().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is always present", e);
    }
  }

  /**
   * Opens a value this key sealed for {@code boundTo}.
   *
   * @throws IllegalArgumentException when it was sealed with another key, for another owner, or was
   *     changed since
   */
  String open(String sealed, String boundTo) {
    if (!id.equals(keyIdOf(sealed))) {
      throw new IllegalArgumentException("sealed with key " + keyIdOf(sealed) + ", not " + id);
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(sealed.substring(VERSION.length() + ID_CHARS + 1));
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
      cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // AEADBadTagException: another key (an id collision), another owner, or a changed value.
      throw new IllegalArgumentException("cannot be opened with key " + id + ": " + e, e);
    }
  }

  /**
   * The id of the key that sealed {@code stored}, or null when it is not sealed: the plain text an
   * older server stored. Contexts are {@code KEY=Value} lines, so one that starts like a sealed
   * value ({@code v1:}, eight hex digits, {@code :}) is not a context anyone wrote.
   */
  static String keyIdOf(String stored) {
    if (stored == null
        || stored.length() < VERSION.length() + ID_CHARS + 1
        || !stored.startsWith(VERSION)
        || stored.charAt(VERSION.length() + ID_CHARS) != ':') {
      return null;
    }
    String id = stored.substring(VERSION.length(), VERSION.length() + ID_CHARS);
    for (int i = 0; i < id.length(); i++) {
      if (Character.digit(id.charAt(i), 16) < 0 || Character.isUpperCase(id.charAt(i))) {
        return null;
      }
    }
    return id;
  }

  private static String idOf(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] digest = mac.doFinal("faaspot context key id".getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, ID_CHARS / 2);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is always present", e);
    }
  }
}
