package io.faaspot.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of a bubblewrap command, apart from what {@link Sandbox} then binds into it: the
 * namespaces, the system read-only, a private {@code /tmp}, and binds whose parent directories stay
 * passable for the spot's uid. Only the argument list is built here; nothing is run.
 */
final class Bwrap {
  private static final List<String> ROOT_LINKS =
      List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

  private Bwrap() {}

  /**
   * The namespaces, /usr and /etc, a /tmp of {@code scratchBytes}, and the extra read-only paths.
   */
  static List<String> base(long scratchBytes, List<Path> extraReadOnly) {
    List<String> c = new ArrayList<>();
    c.addAll(
        List.of(
            "bwrap",
            "--unshare-pid",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--die-with-parent",
            "--new-session",
            "--ro-bind",
            "/usr",
            "/usr",
            "--ro-bind",
            "/etc",
            "/etc"));
    // Debian and most distributions now link these into /usr; older ones have them as directories.
    for (String link : ROOT_LINKS) {
      Path p = Path.of(link);
      if (Files.isSymbolicLink(p)) {
        try {
          c.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), link));
        } catch (IOException e) {
          Log.warn("cannot read the link %s: %s", link, e.getMessage());
        }
      } else if (Files.isDirectory(p)) {
        c.addAll(List.of("--ro-bind", link, link));
      }
    }
    c.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
    // Before the binds: one under /tmp (a local index, a test's data) would be hidden by it.
    c.addAll(List.of("--perms", "1777", "--size", Long.toString(scratchBytes), "--tmpfs", "/tmp"));
    for (Path p : extraReadOnly) {
      readOnly(c, p);
    }
    return c;
  }

  static void readOnly(List<String> c, Path p) {
    parents(c, p);
    c.addAll(List.of("--ro-bind", p.toString(), p.toString()));
  }

  static void readWrite(List<String> c, Path p) {
    parents(c, p);
    c.addAll(List.of("--bind", p.toString(), p.toString()));
  }

  /**
   * The directories leading to a bound path, made passable: bubblewrap would make them mode 0700,
   * which only root inside the sandbox could pass. (An existing one is left as it is.)
   */
  private static void parents(List<String> c, Path p) {
    List<Path> chain = new ArrayList<>();
    for (Path a = p.toAbsolutePath().getParent(); a != null && a.getParent() != null; ) {
      chain.add(0, a);
      a = a.getParent();
    }
    for (Path a : chain) {
      if (!made(c, a.toString())) {
        c.addAll(List.of("--perms", "0755", "--dir", a.toString()));
      }
    }
  }

  /** Whether the command already makes this directory (binds share their parents). */
  private static boolean made(List<String> c, String dir) {
    for (int i = 1; i < c.size(); i++) {
      if (c.get(i).equals(dir) && c.get(i - 1).equals("--dir")) {
        return true;
      }
    }
    return false;
  }
}
