package io.faaspot.api.deployment;

import io.faaspot.api.config.DeploymentsProperties;
import io.faaspot.api.web.ApiException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Refuses requirements that are more than a list of packages. A spot hands them to {@code pip
 * install -r} as they are, and a requirements file can do much more than name packages: {@code -r
 * /path} reads any file the agent can read (pip's error prints its first line), a local path or
 * {@code -e .} runs the setup code found there, {@code file:} and VCS URLs read or run what they
 * name, {@code ${NAME}} expands the spot's environment. So each line pip will act on must be a PEP
 * 508 specifier, optionally followed by {@code --hash} values; index options and direct https URLs
 * only when the operator allows them ({@link DeploymentsProperties}).
 *
 * <p>Checked on create and update only: versions stored before keep their requirements.
 */
@Component
class RequirementsCheck {
  static final String READS_FILES = "options that read files or change the index are not allowed";
  private static final String FILE_URL = "file: URLs are not allowed";
  private static final String OTHER_SCHEME =
      "only https and http URLs are allowed (no git+, svn+, hg+, bzr+, ftp: or file:)";
  private static final String NO_URLS =
      "direct URL references (name @ URL) are not allowed on this server";
  private static final String LOCAL_PATH =
      "local paths are not allowed (pip would install the spot's files and run their setup code)";
  private static final String ARCHIVE =
      "archive file names are not allowed (pip reads them as local files)";

  private static final int MAX_SHOWN = 80;
  private static final Pattern HASH = Pattern.compile("(sha256|sha384|sha512):[0-9a-fA-F]+");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:.*");
  private static final Set<String> URL_OPTIONS =
      Set.of("-i", "--index-url", "--extra-index-url", "-f", "--find-links");

  /** pip's archive extensions: a name ending so is read as a local file when one exists. */
  private static final List<String> ARCHIVES =
      List.of(
          ".zip",
          ".whl",
          ".tar.bz2",
          ".tbz",
          ".tar.xz",
          ".txz",
          ".tlz",
          ".tar.lz",
          ".tar.lzma",
          ".tar.gz",
          ".tgz",
          ".tar");

  /** Why a line is refused; {@code line} counts from 1, as pip and editors count. */
  record Refusal(int line, String text, String reason) {
    String message() {
      String shown = text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN - 3) + "..." : text;
      return "requirements line " + line + ": \"" + shown + "\": " + reason;
    }
  }

  private final boolean allowIndexOptions;
  private final boolean allowUrls;

  RequirementsCheck(DeploymentsProperties props) {
    this.allowIndexOptions = props.allowIndexOptions();
    this.allowUrls = props.allowUrlRequirements();
  }

  /** 400 naming the first refused line, if any. */
  void check(String requirements) {
    Optional<Refusal> refused = refusal(requirements);
    if (refused.isPresent()) {
      throw ApiException.badRequest("invalid_requirements", refused.get().message());
    }
  }

  Optional<Refusal> refusal(String requirements) {
    RequirementLines.Line coding = RequirementLines.foreignEncoding(requirements);
    if (coding != null) {
      return Optional.of(
          new Refusal(
              coding.number(),
              coding.text(),
              "an encoding other than utf-8 is not allowed (pip would decode the file with it)"));
    }
    for (RequirementLines.Line line : RequirementLines.read(requirements)) {
      String reason = reason(line.text());
      if (reason != null) {
        return Optional.of(new Refusal(line.number(), line.text(), reason));
      }
    }
    return Optional.empty();
  }

  /** Why pip must not see this line, or null. */
  private String reason(String line) {
    if (line.indexOf('$') >= 0) {
      return "'$' is not allowed (pip replaces ${NAME} with the spot's environment variable)";
    }
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c != '\t' && (c < ' ' || c > '~')) {
        return "only printable ASCII is allowed outside comments";
      }
    }
    // pip's break_args_options: the requirement runs up to the first word starting with '-'.
    String[] words = line.split(" ", -1);
    int options = 0;
    while (options < words.length && !words[options].startsWith("-")) {
      options++;
    }
    String requirement = String.join(" ", List.of(words).subList(0, options)).strip();
    // pip splits the options as a shell would (shlex); quotes and backslashes then fail the
    // strict forms below, so splitting at white space is enough.
    List<String> rest =
        options == words.length
            ? List.of()
            : List.of(
                String.join(" ", List.of(words).subList(options, words.length))
                    .strip()
                    .split("[ \t]+"));
    if (requirement.isEmpty()) {
      return optionLine(rest);
    }
    String refused = requirement(requirement);
    return refused != null ? refused : hashes(rest);
  }

  private String requirement(String text) {
    Optional<RequirementSpecifier> parsed = RequirementSpecifier.parse(text);
    if (parsed.isPresent() && parsed.get().url() != null) {
      return url(parsed.get().url(), allowUrls);
    }
    if (parsed.isPresent()) {
      return isArchive(withoutExtras(text.split(";", 2)[0].strip())) ? ARCHIVE : null;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.contains("file:")) {
      return FILE_URL;
    }
    if (SCHEME.matcher(text).matches()) {
      return lower.startsWith("http:") || lower.startsWith("https:")
          ? allowUrls ? "a URL must be written as name @ URL" : NO_URLS
          : OTHER_SCHEME;
    }
    if (text.startsWith(".")
        || text.startsWith("/")
        || text.startsWith("~")
        || text.contains("/")
        || text.contains("\\")) {
      return LOCAL_PATH;
    }
    if (isArchive(withoutExtras(text))) {
      return ARCHIVE;
    }
    return "not a requirement (PEP 508: name[extras] version-specifiers ; markers)";
  }

  /** A URL pip will fetch (index or direct reference), or the reason it may not. */
  private static String url(String url, boolean allowed) {
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

  /** The words after a requirement: only {@code --hash=algorithm:digest}, any number of them. */
  private static String hashes(List<String> words) {
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (w.startsWith("--hash=") && HASH.matcher(w.substring(7)).matches()) {
        continue;
      }
      if (w.equals("--hash") && i + 1 < words.size() && HASH.matcher(words.get(i + 1)).matches()) {
        i++;
        continue;
      }
      return "only --hash=sha256:<digest> (or sha384, sha512) may follow a requirement";
    }
    return null;
  }

  /** A line of options only: index options when the operator allows them, nothing else. */
  private String optionLine(List<String> words) {
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      String name;
      String value;
      if (w.startsWith("--")) {
        int eq = w.indexOf('=');
        name = eq < 0 ? w : w.substring(0, eq);
        value = eq < 0 ? null : w.substring(eq + 1);
      } else {
        name = w.length() <= 2 ? w : w.substring(0, 2);
        value = w.length() <= 2 ? null : w.substring(2);
      }
      boolean takesUrl = URL_OPTIONS.contains(name);
      boolean takesHost = name.equals("--trusted-host");
      if (!takesUrl && !takesHost) {
        return Set.of("-r", "--requirement", "-c", "--constraint", "-e", "--editable", "--no-index")
                .contains(name)
            ? READS_FILES
            : "pip options are not allowed (only --hash after a requirement)";
      }
      if (!allowIndexOptions) {
        return READS_FILES;
      }
      if (value == null) {
        if (i + 1 == words.size()) {
          return name + " needs a value";
        }
        value = words.get(++i);
      }
      String refused =
          takesUrl
              ? url(value, true)
              : HOST.matcher(value.replaceFirst(":[0-9]+$", "")).matches()
                  ? null
                  : "--trusted-host takes a host name";
      if (refused != null) {
        return refused;
      }
    }
    return null;
  }

  /** The text before a trailing {@code [extras]}, as pip's _strip_extras cuts it. */
  private static String withoutExtras(String text) {
    return text.replaceFirst("^(.+)(\\[[^\\]]+\\])$", "$1");
  }

  private static boolean isArchive(String text) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    return ARCHIVES.stream().anyMatch(lower::endsWith);
  }
}
