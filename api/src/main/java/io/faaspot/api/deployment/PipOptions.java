package io.faaspot.api.deployment;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The pip options a requirements file may hold: {@code --hash} values after a requirement, and on a
 * line of its own an index option ({@code -i}, {@code --extra-index-url}, {@code -f}, {@code
 * --trusted-host}) when the operator allows them. Any other option is refused: several read files
 * ({@code -r}, {@code -c}, {@code -e}).
 */
final class PipOptions {
  private static final Pattern HASH = Pattern.compile("(sha256|sha384|sha512):[0-9a-fA-F]+");
  private static final Set<String> URL_OPTIONS =
      Set.of("-i", "--index-url", "--extra-index-url", "-f", "--find-links");
  private static final Set<String> READ_FILES =
      Set.of("-r", "--requirement", "-c", "--constraint", "-e", "--editable", "--no-index");

  private PipOptions() {}

  /** The words after a requirement: only {@code --hash=algorithm:digest}, any number of them. */
  static String hashes(List<String> words) {
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
  static String optionLine(List<String> words, boolean allowIndexOptions) {
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
        return READ_FILES.contains(name)
            ? RequirementsCheck.READS_FILES
            : "pip options are not allowed (only --hash after a requirement)";
      }
      if (!allowIndexOptions) {
        return RequirementsCheck.READS_FILES;
      }
      if (value == null) {
        if (i + 1 == words.size()) {
          return name + " needs a value";
        }
        value = words.get(++i);
      }
      String refused =
          takesUrl
              ? RequirementUrls.refusal(value, true)
              : RequirementUrls.HOST.matcher(value.replaceFirst(":[0-9]+$", "")).matches()
                  ? null
                  : "--trusted-host takes a host name";
      if (refused != null) {
        return refused;
      }
    }
    return null;
  }
}
