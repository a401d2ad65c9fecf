package io.faaspot.api.deployment;

/**
 * A position in a requirement specifier being parsed, and the lexical pieces every part of PEP
 * 508's grammar reads (white space, single characters, keywords, names). Apart from the grammar's
 * rules ({@link RequirementSpecifier}, {@link VersionSpecifiers}, {@link EnvironmentMarkers}) so
 * that each of them reads as the grammar does.
 */
final class SpecifierCursor {
  final String s;
  int pos;

  SpecifierCursor(String s) {
    this.s = s;
  }

  boolean atEnd() {
    return pos == s.length();
  }

  /** Skips a run of characters of the given kind; the number skipped. */
  int skip(CharKind kind) {
    int start = pos;
    while (pos < s.length() && kind.matches(s.charAt(pos))) {
      pos++;
    }
    return pos - start;
  }

  /** After optional white space, the word {@code word}; the position stays when it is not. */
  boolean keyword(String word) {
    int save = pos;
    wsp();
    if (s.startsWith(word, pos)) {
      pos += word.length();
      return true;
    }
    pos = save;
    return false;
  }

  /** A name or an extra: letters and digits, with {@code . - _} inside. */
  String identifier() throws NotASpecifier {
    int start = pos;
    skip(c -> isLetterOrDigit(c) || "._-".indexOf(c) >= 0);
    if (pos == start || !isLetterOrDigit(s.charAt(start)) || !isLetterOrDigit(s.charAt(pos - 1))) {
      throw new NotASpecifier();
    }
    return s.substring(start, pos);
  }

  void wsp() {
    while (peek(' ') || peek('\t')) {
      pos++;
    }
  }

  boolean peek(char c) {
    return pos < s.length() && s.charAt(pos) == c;
  }

  void expect(char c) throws NotASpecifier {
    if (!peek(c)) {
      throw new NotASpecifier();
    }
    pos++;
  }

  static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** Which characters a run may hold. */
  interface CharKind {
    boolean matches(char c);
  }
}
