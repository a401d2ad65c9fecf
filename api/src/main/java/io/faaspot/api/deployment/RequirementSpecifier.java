package io.faaspot.api.deployment;

import java.util.Optional;
import java.util.Set;

/**
 * A PEP 508 requirement specifier: {@code name[extras] version-specifiers ; markers}, or {@code
 * name[extras] @ url ; markers}. A parser of the grammar, not a pattern of what to refuse: what
 * does not fit it (a path, a bare URL, an option) is not a specifier.
 *
 * <p>Two narrowings of PEP 508: no {@code $} (pip replaces {@code ${NAME}} with the spot's
 * environment variable before it parses) and no {@code ;} inside a URL (pip cuts the markers off at
 * the first {@code ;}).
 */
record RequirementSpecifier(String name, String url) {
  private static final Set<String> MARKER_VARIABLES =
      Set.of(
          "python_version",
          "python_full_version",
          "os_name",
          "sys_platform",
          "platform_release",
          "platform_system",
          "platform_version",
          "platform_machine",
          "platform_python_implementation",
          "implementation_name",
          "implementation_version",
          "extra",
          // Older spellings packaging still reads.
          "os.name",
          "sys.platform",
          "platform.version",
          "platform.machine",
          "platform.python_implementation",
          "python_implementation");

  /** Longest first, so that {@code ===} is not read as {@code ==} and a stray {@code =}. */
  private static final String[] COMPARISONS = {"===", "~=", "==", "!=", "<=", ">=", "<", ">"};

  /** PEP 508's {@code python_str_c} without {@code $}; the other quote is added where allowed. */
  private static final String STRING_PUNCTUATION = " \t().{}-_*#:;,/?[]!~`@%^&=+|<>";

  /** RFC 3986's characters without {@code ;} and {@code $}. */
  private static final String URL_PUNCTUATION = "-._~:/?#[]@!&'()*+,=%";

  /** The specifier, or empty when the text does not follow the grammar. */
  static Optional<RequirementSpecifier> parse(String text) {
    try {
      return Optional.of(new Parser(text).requirement());
    } catch (NotASpecifier e) {
      return Optional.empty();
    }
  }

  private static final class NotASpecifier extends Exception {
    NotASpecifier() {
      super(null, null, false, false);
    }
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    RequirementSpecifier requirement() throws NotASpecifier {
      wsp();
      String name = identifier();
      wsp();
      if (peek('[')) {
        extras();
        wsp();
      }
      String url = null;
      if (peek('@')) {
        pos++;
        wsp();
        int start = pos;
        while (pos < s.length() && isUrlChar(s.charAt(pos))) {
          pos++;
        }
        if (pos == start) {
          throw new NotASpecifier();
        }
        url = s.substring(start, pos);
        // PEP 508 wants white space between a URL and its markers.
        int beforeSpace = pos;
        wsp();
        if (peek(';') && pos > beforeSpace) {
          pos++;
          marker();
        }
      } else {
        if (peek('(')) {
          pos++;
          versions();
          wsp();
          expect(')');
        } else if (pos < s.length() && "<>=!~".indexOf(s.charAt(pos)) >= 0) {
          versions();
        }
        wsp();
        if (peek(';')) {
          pos++;
          marker();
        }
      }
      wsp();
      if (pos != s.length()) {
        throw new NotASpecifier();
      }
      return new RequirementSpecifier(name, url);
    }

    private void extras() throws NotASpecifier {
      expect('[');
      wsp();
      if (!peek(']')) {
        identifier();
        wsp();
        while (peek(',')) {
          pos++;
          wsp();
          identifier();
          wsp();
        }
      }
      expect(']');
    }

    private void versions() throws NotASpecifier {
      version();
      while (true) {
        int save = pos;
        wsp();
        if (!peek(',')) {
          pos = save;
          return;
        }
        pos++;
        version();
      }
    }

    private void version() throws NotASpecifier {
      wsp();
      comparison();
      wsp();
      int start = pos;
      while (pos < s.length() && isVersionChar(s.charAt(pos))) {
        pos++;
      }
      if (pos == start) {
        throw new NotASpecifier();
      }
    }

    private void comparison() throws NotASpecifier {
      for (String c : COMPARISONS) {
        if (s.startsWith(c, pos)) {
          pos += c.length();
          return;
        }
      }
      throw new NotASpecifier();
    }

    /** marker_or: marker_and ('or' marker_and)*. */
    private void marker() throws NotASpecifier {
      markerAnd();
      while (keyword("or")) {
        markerAnd();
      }
    }

    private void markerAnd() throws NotASpecifier {
      markerExpression();
      while (keyword("and")) {
        markerExpression();
      }
    }

    private void markerExpression() throws NotASpecifier {
      wsp();
      if (peek('(')) {
        pos++;
        marker();
        wsp();
        expect(')');
        return;
      }
      markerValue();
      wsp();
      if (keyword("not")) {
        if (!(peek(' ') || peek('\t'))) {
          throw new NotASpecifier();
        }
        if (!keyword("in")) {
          throw new NotASpecifier();
        }
      } else if (!keyword("in")) {
        comparison();
      }
      markerValue();
    }

    private void markerValue() throws NotASpecifier {
      wsp();
      if (peek('"') || peek('\'')) {
        char quote = s.charAt(pos++);
        char other = quote == '"' ? '\'' : '"';
        while (pos < s.length() && s.charAt(pos) != quote) {
          char c = s.charAt(pos);
          if (!(isLetterOrDigit(c) || STRING_PUNCTUATION.indexOf(c) >= 0 || c == other)) {
            throw new NotASpecifier();
          }
          pos++;
        }
        expect(quote);
        return;
      }
      int start = pos;
      while (pos < s.length()
          && (isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_' || s.charAt(pos) == '.')) {
        pos++;
      }
      if (!MARKER_VARIABLES.contains(s.substring(start, pos))) {
        throw new NotASpecifier();
      }
    }

    /** After optional white space, the word {@code word}; the position stays when it is not. */
    private boolean keyword(String word) {
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
    private String identifier() throws NotASpecifier {
      int start = pos;
      while (pos < s.length()
          && (isLetterOrDigit(s.charAt(pos)) || "._-".indexOf(s.charAt(pos)) >= 0)) {
        pos++;
      }
      if (pos == start
          || !isLetterOrDigit(s.charAt(start))
          || !isLetterOrDigit(s.charAt(pos - 1))) {
        throw new NotASpecifier();
      }
      return s.substring(start, pos);
    }

    private void wsp() {
      while (peek(' ') || peek('\t')) {
        pos++;
      }
    }

    private boolean peek(char c) {
      return pos < s.length() && s.charAt(pos) == c;
    }

    private void expect(char c) throws NotASpecifier {
      if (!peek(c)) {
        throw new NotASpecifier();
      }
      pos++;
    }
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean isVersionChar(char c) {
    return isLetterOrDigit(c) || "-_.*+!".indexOf(c) >= 0;
  }

  private static boolean isUrlChar(char c) {
    return isLetterOrDigit(c) || URL_PUNCTUATION.indexOf(c) >= 0;
  }
}
