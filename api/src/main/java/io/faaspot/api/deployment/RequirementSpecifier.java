package io.faaspot.api.deployment;

import java.util.Optional;

/**
 * A PEP 508 requirement specifier: {@code name[extras] version-specifiers ; markers}, or {@code
 * name[extras] @ url ; markers}. A parser of the grammar, not a pattern of what to refuse: what
 * does not fit it (a path, a bare URL, an option) is not a specifier. The version specifiers and
 * the markers are parsed by {@link VersionSpecifiers} and {@link EnvironmentMarkers}.
 *
 * <p>Two narrowings of PEP 508: no {@code $} (pip replaces {@code ${NAME}} with the spot's
 * environment variable before it parses) and no {@code ;} inside a URL (pip cuts the markers off at
 * the first {@code ;}).
 */
record RequirementSpecifier(String name, String url) {
  /** RFC 3986's characters without {@code ;} and {@code $}. */
  private static final String URL_PUNCTUATION = "-._~:/?#[]@!&'()*+,=%";

  /** The specifier, or empty when the text does not follow the grammar. */
  static Optional<RequirementSpecifier> parse(String text) {
    try {
      return Optional.of(requirement(new SpecifierCursor(text)));
    } catch (NotASpecifier e) {
      return Optional.empty();
    }
  }

  private static RequirementSpecifier requirement(SpecifierCursor in) throws NotASpecifier {
    in.wsp();
    String name = in.identifier();
    in.wsp();
    if (in.peek('[')) {
      extras(in);
      in.wsp();
    }
    String url = null;
    if (in.peek('@')) {
      in.pos++;
      in.wsp();
      int start = in.pos;
      if (in.skip(RequirementSpecifier::isUrlChar) == 0) {
        throw new NotASpecifier();
      }
      url = in.s.substring(start, in.pos);
      // PEP 508 wants white space between a URL and its markers.
      int beforeSpace = in.pos;
      in.wsp();
      if (in.peek(';') && in.pos > beforeSpace) {
        in.pos++;
        EnvironmentMarkers.marker(in);
      }
    } else {
      if (in.peek('(')) {
        in.pos++;
        VersionSpecifiers.versions(in);
        in.wsp();
        in.expect(')');
      } else if (VersionSpecifiers.startsAt(in)) {
        VersionSpecifiers.versions(in);
      }
      in.wsp();
      if (in.peek(';')) {
        in.pos++;
        EnvironmentMarkers.marker(in);
      }
    }
    in.wsp();
    if (!in.atEnd()) {
      throw new NotASpecifier();
    }
    return new RequirementSpecifier(name, url);
  }

  private static void extras(SpecifierCursor in) throws NotASpecifier {
    in.expect('[');
    in.wsp();
    if (!in.peek(']')) {
      in.identifier();
      in.wsp();
      while (in.peek(',')) {
        in.pos++;
        in.wsp();
        in.identifier();
        in.wsp();
      }
    }
    in.expect(']');
  }

  private static boolean isUrlChar(char c) {
    return SpecifierCursor.isLetterOrDigit(c) || URL_PUNCTUATION.indexOf(c) >= 0;
  }
}
