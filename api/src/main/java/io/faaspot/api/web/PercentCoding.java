package io.faaspot.api.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Python's {@code urllib.quote(s, safe='/')} and its strict inverse: the old client URL-quotes
 * code, requirements and context on the way in and unquotes them on the way out. Unlike Java's
 * URLDecoder, {@code +} is left as it is (quote writes a plus as %2B), and a broken escape or bytes
 * that are not UTF-8 are refused rather than guessed at.
 */
public final class PercentCoding {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PercentCoding() {}

  public static String quote(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (unreserved(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  private static boolean unreserved(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '.'
        || c == '-'
        || c == '~'
        || c == '/';
  }

  /**
   * Decodes percent escapes of UTF-8.
   *
   * @param field named in the error message
   * @throws ApiException 400 on a broken escape or bytes that are not UTF-8
   */
  public static String unquote(String text, String field) {
    return decode(text, field, false);
  }

  static String decodeForm(String text) {
    return decode(text, "form field", true);
  }

  private static String decode(String text, String field, boolean plusIsSpace) {
    if (text.indexOf('%') < 0 && !(plusIsSpace && text.indexOf('+') >= 0)) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length() || hex(text.charAt(i + 1)) < 0 || hex(text.charAt(i + 2)) < 0) {
          throw ApiException.badRequest(
              "bad_quoting",
              field + " has a broken percent escape at position " + i + " (expected %XX)");
        }
        int b = hex(text.charAt(i + 1)) << 4 | hex(text.charAt(i + 2));
        if (b == 0) {
          throw ApiException.badRequest("nul_character", field + ": " + ApiPathFilter.NUL_REFUSED);
        }
        bytes.write(b);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
          b = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.writeBytes(b);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw ApiException.badRequest("bad_utf8", field + " decodes to bytes that are not UTF-8");
    }
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
