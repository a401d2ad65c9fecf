package io.faaspot.bench;

import java.nio.charset.StandardCharsets;

/**
 * URL-quoting with the semantics of Python's {@code urllib.parse.quote(s)}: ASCII letters, digits,
 * {@code _.-~} and {@code /} are kept, every other UTF-8 byte becomes {@code %XX} (upper case).
 * This is how the old client sends a deployment's code, requirements and context.
 *
 * <p>The server's {@code PercentCoding} holds the same loop, on purpose: the bench is a client from
 * outside that depends on none of the server's modules, so that what it measures is the wire.
 */
final class Quoting {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Quoting() {}

  static String quote(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length * 3 / 2);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (kept(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  private static boolean kept(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '.'
        || c == '-'
        || c == '~'
        || c == '/';
  }
}
