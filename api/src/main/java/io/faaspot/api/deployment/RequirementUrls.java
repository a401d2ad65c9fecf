package io.faaspot.api.deployment;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The URLs a requirements file may make pip fetch (a direct reference {@code name @ URL} or an
 * index option's value): http and https only, to a host name, never a path in disguise. Apart from
 * {@link RequirementsCheck} because both its requirement lines and its option lines check URLs.
 */
final class RequirementUrls {
  static final String FILE_URL = "file: URLs are not allowed";
  static final String OTHER_SCHEME =
      "only https and http URLs are allowed (no git+, svn+, hg+, bzr+, ftp: or file:)";
  static final String NO_URLS = "direct URL references (name @ URL) are not allowed on this server";
  static final String LOCAL_PATH =
      "local paths are not allowed (pip would install the spot's files and run their setup code)";

  static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
  static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:.*");

  private RequirementUrls() {}

  /** A URL pip will fetch (index or direct reference), or the reason it may not. */
  static String refusal(String url, boolean allowed) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("file:")) {
      return FILE_URL;
    }
    if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
      return SCHEME.matcher(url).matches() ? OTHER_SCHEME : LOCAL_PATH;
    }
    if (!allowed) {
      return NO_URLS;
    }
    String afterScheme = url.substring(url.indexOf("://") + 3);
    String authority = afterScheme.split("[/?#]", 2)[0];
    String host = authority.substring(authority.lastIndexOf('@') + 1).replaceFirst(":[0-9]*$", "");
    if (!HOST.matcher(host).matches()) {
      return "the URL's host is not a host name";
    }
    // pip first tries the whole line as a path (normpath(abspath(line))): a . or .. segment,
    // even in the query, would walk it back to a local directory and its setup code.
    for (String segment : afterScheme.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return "URLs with . or .. segments are not allowed (pip would read them as local paths)";
      }
    }
    return null;
  }
}
