package io.faaspot.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Paths a sandbox must see read-only beyond /usr and /etc: the Python installation (when it is not
 * the system's, e.g. under /opt or a pyenv) and local package indexes pip's settings name with
 * {@code file:} URLs. Found once at start, from the agent's own environment.
 */
final class ExtraReadOnly {
  private ExtraReadOnly() {}

  static List<Path> paths(Path pythonPrefix, Map<String, String> env) {
    Set<Path> paths = new LinkedHashSet<>();
    if (pythonPrefix != null && !pythonPrefix.startsWith("/usr")) {
      paths.add(pythonPrefix);
    }
    for (var e : env.entrySet()) {
      if (!e.getKey().startsWith("PIP_")) {
        continue;
      }
      for (String part : e.getValue().split("\\s+")) {
        if (part.startsWith("file:")) {
          Path p = Path.of(java.net.URI.create(part).getPath());
          // A PEP 503 index is <root>/simple, whose pages link to files elsewhere under <root>.
          if (p.getFileName() != null && p.getFileName().toString().equals("simple")) {
            p = p.getParent();
          }
          if (Files.exists(p)) {
            paths.add(p);
          }
        }
      }
    }
    return List.copyOf(paths);
  }
}
