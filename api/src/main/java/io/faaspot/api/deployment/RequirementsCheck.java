package io.faaspot.api.deployment;

import io.faaspot.api.config.DeploymentsProperties;
import io.faaspot.api.web.ApiException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Refuses requirements that are more than a list of packages. A spot hands them to {@code pip
 * install -r} as they are, and a requirements file can do much more than name packages: {@code -r
 * /path} reads any file the agent can read (pip's error prints its first line), a local path or
 * {@code -e .} runs the setup code found there, {@code file:} and VCS URLs read or run what they
 * name, {@code ${NAME}} expands the spot's environment. So each line pip will act on must be a PEP
 * 508 specifier, optionally followed by {@code --hash} values; index options and direct https URLs
 * only when the operator allows them ({@link DeploymentsProperties}). The lines are cut as pip cuts
 * them ({@link RequirementLines}); the URLs, the options and archive names are checked by {@link
 * RequirementUrls}, {@link PipOptions} and {@link ArchiveNames}.
 *
 * <p>Checked on create and update only: versions stored before keep their requirements.
 */
@Component
class RequirementsCheck {
  static final String READS_FILES = "options that read files or change the index are not allowed";

  private static final int MAX_SHOWN = 80;

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
    RequirementLine coding = RequirementLines.foreignEncoding(requirements);
    if (coding != null) {
      return Optional.of(
          new Refusal(
              coding.number(),
              coding.text(),
              "an encoding other than utf-8 is not allowed (pip would decode the file with it)"));
    }
    for (RequirementLine line : RequirementLines.read(requirements)) {
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
      return PipOptions.optionLine(rest, allowIndexOptions);
    }
    String refused = requirement(requirement);
    return refused != null ? refused : PipOptions.hashes(rest);
  }

  private String requirement(String text) {
    Optional<RequirementSpecifier> parsed = RequirementSpecifier.parse(text);
    if (parsed.isPresent() && parsed.get().url() != null) {
      return RequirementUrls.refusal(parsed.get().url(), allowUrls);
    }
    if (parsed.isPresent()) {
      return ArchiveNames.isArchive(text.split(";", 2)[0].strip()) ? ArchiveNames.ARCHIVE : null;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.contains("file:")) {
      return RequirementUrls.FILE_URL;
    }
    if (RequirementUrls.SCHEME.matcher(text).matches()) {
      return lower.startsWith("http:") || lower.startsWith("https:")
          ? allowUrls ? "a URL must be written as name @ URL" : RequirementUrls.NO_URLS
          : RequirementUrls.OTHER_SCHEME;
    }
    if (text.startsWith(".")
        || text.startsWith("/")
        || text.startsWith("~")
        || text.contains("/")
        || text.contains("\\")) {
      return RequirementUrls.LOCAL_PATH;
    }
    if (ArchiveNames.isArchive(text)) {
      return ArchiveNames.ARCHIVE;
    }
    return "not a requirement (PEP 508: name[extras] version-specifiers ; markers)";
  }
}
