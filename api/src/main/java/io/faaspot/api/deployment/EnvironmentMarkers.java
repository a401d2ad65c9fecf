package io.faaspot.api.deployment;

import java.util.Set;

/**
 * PEP 508's environment markers, after a requirement's {@code ;}: comparisons of the known marker
 * variables with quoted strings, joined by {@code and}, {@code or} and parentheses.
 */
final class EnvironmentMarkers {
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

  /** PEP 508's {@code python_str_c} without {@code $}; the other quote is added where allowed. */
  private static final String STRING_PUNCTUATION = " \t().{}-_*#:;,/?[]!~`@%^&=+|<>";

  private EnvironmentMarkers() {}

  /** marker_or: marker_and ('or' marker_and)*. */
  static void marker(SpecifierCursor in) throws NotASpecifier {
    markerAnd(in);
    while (in.keyword("or")) {
      markerAnd(in);
    }
  }

  private static void markerAnd(SpecifierCursor in) throws NotASpecifier {
    markerExpression(in);
    while (in.keyword("and")) {
      markerExpression(in);
    }
  }

  private static void markerExpression(SpecifierCursor in) throws NotASpecifier {
    in.wsp();
    if (in.peek('(')) {
      in.pos++;
      marker(in);
      in.wsp();
      in.expect(')');
      return;
    }
    markerValue(in);
    in.wsp();
    if (in.keyword("not")) {
      if (!(in.peek(' ') || in.peek('\t'))) {
        throw new NotASpecifier();
      }
      if (!in.keyword("in")) {
        throw new NotASpecifier();
      }
    } else if (!in.keyword("in")) {
      VersionSpecifiers.comparison(in);
    }
    markerValue(in);
  }

  private static void markerValue(SpecifierCursor in) throws NotASpecifier {
    in.wsp();
    if (in.peek('"') || in.peek('\'')) {
      char quote = in.s.charAt(in.pos++);
      char other = quote == '"' ? '\'' : '"';
      while (!in.atEnd() && in.s.charAt(in.pos) != quote) {
        char c = in.s.charAt(in.pos);
        if (!(SpecifierCursor.isLetterOrDigit(c)
            || STRING_PUNCTUATION.indexOf(c) >= 0
            || c == other)) {
          throw new NotASpecifier();
        }
        in.pos++;
      }
      in.expect(quote);
      return;
    }
    int start = in.pos;
    in.skip(c -> SpecifierCursor.isLetterOrDigit(c) || c == '_' || c == '.');
    if (!MARKER_VARIABLES.contains(in.s.substring(start, in.pos))) {
      throw new NotASpecifier();
    }
  }
}
