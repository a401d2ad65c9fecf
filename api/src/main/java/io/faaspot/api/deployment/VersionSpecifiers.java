package io.faaspot.api.deployment;

/**
 * PEP 508's version specifiers ({@code >=1.0, <2}) and the comparison operators they share with the
 * environment markers.
 */
final class VersionSpecifiers {
  /** Longest first, so that {@code ===} is not read as {@code ==} and a stray {@code =}. */
  private static final String[] COMPARISONS = {"===", "~=", "==", "!=", "<=", ">=", "<", ">"};

  private VersionSpecifiers() {}

  /** Whether a version specifier may start here (without its optional parentheses). */
  static boolean startsAt(SpecifierCursor in) {
    return !in.atEnd() && "<>=!~".indexOf(in.s.charAt(in.pos)) >= 0;
  }

  /** version_many: version_one (',' version_one)*. */
  static void versions(SpecifierCursor in) throws NotASpecifier {
    version(in);
    while (true) {
      int save = in.pos;
      in.wsp();
      if (!in.peek(',')) {
        in.pos = save;
        return;
      }
      in.pos++;
      version(in);
    }
  }

  private static void version(SpecifierCursor in) throws NotASpecifier {
    in.wsp();
    comparison(in);
    in.wsp();
    if (in.skip(c -> SpecifierCursor.isLetterOrDigit(c) || "-_.*+!".indexOf(c) >= 0) == 0) {
      throw new NotASpecifier();
    }
  }

  static void comparison(SpecifierCursor in) throws NotASpecifier {
    for (String c : COMPARISONS) {
      if (in.s.startsWith(c, in.pos)) {
        in.pos += c.length();
        return;
      }
    }
    throw new NotASpecifier();
  }
}
