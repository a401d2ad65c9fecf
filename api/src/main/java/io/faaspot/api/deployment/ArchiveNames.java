package io.faaspot.api.deployment;

import java.util.List;
import java.util.Locale;

/**
 * Requirements that name an archive file ({@code pkg.whl}, {@code pkg.tar.gz}): pip reads such a
 * name as a local file when one exists, even when it also parses as a PEP 508 name.
 */
final class ArchiveNames {
  static final String ARCHIVE =
      "archive file names are not allowed (pip reads them as local files)";

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

  private ArchiveNames() {}

  /** Whether the text, without a trailing {@code [extras]}, ends in an archive extension. */
  static boolean isArchive(String text) {
    String lower = withoutExtras(text).strip().toLowerCase(Locale.ROOT);
    return ARCHIVES.stream().anyMatch(lower::endsWith);
  }

  /** The text before a trailing {@code [extras]}, as pip's _strip_extras cuts it. */
  private static String withoutExtras(String text) {
    return text.replaceFirst("^(.+)(\\[[^\\]]+\\])$", "$1");
  }
}
