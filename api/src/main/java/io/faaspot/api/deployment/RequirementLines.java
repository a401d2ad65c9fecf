package io.faaspot.api.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A requirements file cut into the lines pip acts on, as pip's {@code req_file.preprocess} cuts it:
 * split where Python's {@code str.splitlines} splits, a line ending in {@code \} joined with the
 * next (unless it is a comment), comments dropped, white space stripped, blank lines skipped.
 *
 * <p>The check must see exactly the lines pip sees: a line break pip finds and we did not (Python
 * also breaks at {@code \x1c}, {@code \x1d}, {@code \x1e}, {@code \x85}) or a comment we drop and
 * pip keeps would hide an option from us. So this follows pip's code step by step, with Python's
 * idea of white space, rather than a simpler rule of our own.
 */
final class RequirementLines {
  /** The boundaries of Python's {@code str.splitlines}. */
  private static final Pattern PYTHON_LINE_BREAK =
      Pattern.compile("\r\n|[\n\r\u000B\u000C\u001C\u001D\u001E\u0085\u2028\u2029]");

  /** pip's {@code ENCODING_RE}, searched in the first two {@code \n}-lines that start with #. */
  private static final Pattern CODING = Pattern.compile("coding[:=]\\s*([-\\w.]+)");

  private RequirementLines() {}

  static List<RequirementLine> read(String text) {
    // pip decodes a file that starts with a byte order mark without it.
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    String[] physical = PYTHON_LINE_BREAK.split(body, -1);
    List<RequirementLine> lines = new ArrayList<>();
    for (RequirementLine joined : join(physical)) {
      String line = PythonText.strip(withoutComment(joined.text()));
      if (!line.isEmpty()) {
        lines.add(new RequirementLine(joined.number(), line));
      }
    }
    return lines;
  }

  /**
   * The first line declaring an encoding other than UTF-8, or null. pip decodes the file in the
   * encoding a {@code # coding: x} comment in its first two lines names: in UTF-7, {@code +AAo-} is
   * a line break, and so a line we read as one requirement would be two lines to pip.
   */
  static RequirementLine foreignEncoding(String text) {
    String[] first = text.split("\n", 3);
    for (int i = 0; i < Math.min(2, first.length); i++) {
      Matcher m = CODING.matcher(first[i]);
      if (first[i].startsWith("#") && m.find()) {
        String codec = m.group(1).toLowerCase(Locale.ROOT);
        if (!codec.equals("utf-8") && !codec.equals("utf8") && !codec.equals("utf_8")) {
          return new RequirementLine(i + 1, first[i]);
        }
      }
    }
    return null;
  }

  /** pip's {@code join_lines}: the joined line takes the number of its first line. */
  private static List<RequirementLine> join(String[] physical) {
    List<RequirementLine> joined = new ArrayList<>();
    StringBuilder pending = null;
    int first = 0;
    for (int i = 0; i < physical.length; i++) {
      String line = physical[i];
      boolean comment = isCommentLine(line);
      if (!line.endsWith("\\") || comment) {
        if (comment) {
          line = " " + line;
        }
        if (pending != null) {
          joined.add(new RequirementLine(first, pending.append(line).toString()));
          pending = null;
        } else {
          joined.add(new RequirementLine(i + 1, line));
        }
      } else {
        if (pending == null) {
          pending = new StringBuilder();
          first = i + 1;
        }
        // Python's line.strip("\\"): backslashes go from both ends.
        pending.append(PythonText.strip(line, "\\"));
      }
    }
    if (pending != null) {
      joined.add(new RequirementLine(first, pending.toString()));
    }
    return joined;
  }

  /** {@code COMMENT_RE.match(line)}: optional white space, then #, at the start. */
  private static boolean isCommentLine(String line) {
    int i = 0;
    while (i < line.length() && PythonText.isSpace(line.charAt(i))) {
      i++;
    }
    return i < line.length() && line.charAt(i) == '#';
  }

  /** {@code COMMENT_RE.sub("", line)}: cut at the first # that starts the line or follows space. */
  private static String withoutComment(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == '#' && (i == 0 || PythonText.isSpace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    return line;
  }
}
