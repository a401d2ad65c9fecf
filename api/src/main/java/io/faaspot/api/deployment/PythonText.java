package io.faaspot.api.deployment;

/**
 * Python's string operations that {@link RequirementLines} follows, with Python's idea of white
 * space (wider than Java's {@code strip()}): pip cuts a requirements file with them, and the check
 * must cut it the same way.
 */
final class PythonText {
  private PythonText() {}

  /** Python's {@code s.strip()}. */
  static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /** Python's {@code s.strip(chars)} for the given characters. */
  static String strip(String s, String chars) {
    int start = 0;
    int end = s.length();
    while (start < end && chars.indexOf(s.charAt(start)) >= 0) {
      start++;
    }
    while (end > start && chars.indexOf(s.charAt(end - 1)) >= 0) {
      end--;
    }
    return s.substring(start, end);
  }

  /** Python's {@code str.isspace()} (its {@code \s} and {@code strip()} use the same set). */
  static boolean isSpace(char c) {
    return (c >= '\t' && c <= '\r')
        || (c >= '\u001C' && c <= ' ')
        || c == '\u0085'
        || c == '\u00A0'
        || c == '\u1680'
        || (c >= '\u2000' && c <= '\u200A')
        || c == '\u2028'
        || c == '\u2029'
        || c == '\u202F'
        || c == '\u205F'
        || c == '\u3000';
  }
}
