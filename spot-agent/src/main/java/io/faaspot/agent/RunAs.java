package io.faaspot.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Functions never run as root: when the agent does, each worker is started through {@code setpriv}
 * as the unprivileged {@code FAASPOT_RUN_AS} user. If that user cannot reach Python or the agent's
 * directory (say, under /root), the agent says so and runs workers as itself.
 */
final class RunAs {
  private RunAs() {}

  static List<String> prefix(AgentConfig config, Path bootstrap) {
    if (!"root".equals(System.getProperty("user.name"))
        || config.runAs() == null
        || config.runAs().isBlank()) {
      return List.of();
    }
    String user = config.runAs();
    List<String> prefix =
        List.of("setpriv", "--reuid=" + user, "--regid=" + group(user), "--clear-groups", "--");
    try {
      List<String> probe = new java.util.ArrayList<>(prefix);
      probe.addAll(
          List.of(
              config.python().toString(),
              "-c",
              "open(" + pyString(bootstrap.toString()) + ").close()"));
      Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() == 0) {
        Log.info("functions run as user %s", user);
        return prefix;
      }
      Log.warn(
          "functions run as root: user %s cannot run %s or read %s (%s)",
          user, config.python(), bootstrap, out.strip());
    } catch (IOException e) {
      Log.warn("functions run as root: setpriv is not available (%s)", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return List.of();
  }

  private static String group(String user) {
    return "nobody".equals(user) ? "nogroup" : user;
  }

  private static String pyString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
