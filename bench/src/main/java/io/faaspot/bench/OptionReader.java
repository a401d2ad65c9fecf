package io.faaspot.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The command line's syntax, apart from {@link Options}' meaning: the arguments by name, each read
 * once as the type its option wants, so that what is left over is an unknown option.
 */
final class OptionReader {
  private final Map<String, String> values;

  private OptionReader(Map<String, String> values) {
    this.values = values;
  }

  /**
   * The arguments by name: {@code --name value} or {@code --name=value}, and a flag (one of {@code
   * flags}) alone as {@code true}; throws {@link IllegalArgumentException} on anything else.
   */
  static OptionReader of(String[] args, Set<String> flags) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new IllegalArgumentException("unexpected argument: " + arg);
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (flags.contains(name)) {
        value = "true";
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
      values.put(name, value);
    }
    return new OptionReader(values);
  }

  String string(String name, String otherwise) {
    String v = values.remove(name);
    return v == null ? otherwise : v;
  }

  int count(String name, int otherwise, int min) {
    String v = values.remove(name);
    if (v == null) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n < min) {
        throw new IllegalArgumentException("--" + name + " must be at least " + min);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number: " + v);
    }
  }

  boolean flag(String name) {
    String v = values.remove(name);
    return v != null && !v.equalsIgnoreCase("false");
  }

  Path path(String name) {
    String v = values.remove(name);
    return v == null ? null : Path.of(v);
  }

  void rejectUnknown() {
    if (!values.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown option(s): --"
              + String.join(", --", values.keySet().stream().sorted().toList()));
    }
  }
}
