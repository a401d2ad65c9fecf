package io.faaspot.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Chooses the agent's {@link Sandbox} once at start: none when the agent is not root; else, after
 * laying out the spot's directory for its uid ({@link SpotLayout}), bubblewrap if it works (and is
 * not ruled out by {@code FAASPOT_SANDBOX}), else the uid alone. Each confined choice is probed
 * first (Python opening the bootstrap as the spot's uid would); one that fails is never used.
 */
final class SandboxSetup {
  private SandboxSetup() {}

  static Sandbox choose(AgentConfig config, Path dir, Path bootstrap) throws IOException {
    Path home = dir.resolve("home");
    SandboxLimits limits =
        new SandboxLimits(
            config.maxProcesses(),
            config.maxOpenFiles(),
            config.maxFileMb() * 1024L * 1024L,
            config.scratchMb() * 1024L * 1024L);
    if (!RunAs.agentIsRoot()) {
      Log.warn(
          "functions and pip run as this agent's own user: the agent does not run as root, so it"
              + " cannot give them a user of their own (see the README's threat model)");
      return new Sandbox(SandboxMode.NONE, -1, -1, limits, home, List.of());
    }
    if (config.runAs() == null || config.runAs().isBlank()) {
      throw new IllegalStateException(
          "FAASPOT_RUN_AS is empty: as root, the agent runs functions only under a uid of their own");
    }
    RunAs ids = RunAs.parse(config.runAs());
    if (ids.uid() == 0) {
      throw new IllegalStateException("FAASPOT_RUN_AS must not be root");
    }
    SpotLayout.layOut(dir, bootstrap, ids.uid(), ids.gid());
    List<Path> extra = ExtraReadOnly.paths(pythonPrefix(config.python()), System.getenv());
    String wanted = config.sandbox();
    if (!wanted.equals("uid")) {
      Sandbox bw = new Sandbox(SandboxMode.BWRAP, ids.uid(), ids.gid(), limits, home, extra);
      String failure =
          ShortCommand.run(
              bw.worker(
                  readable(config.python(), bootstrap),
                  dir.resolve("deployments"),
                  dir.resolve("envs"),
                  bootstrap));
      if (failure == null) {
        Log.info("functions and pip run as uid %d in a bubblewrap sandbox", ids.uid());
        return bw;
      }
      if (wanted.equals("bwrap")) {
        throw new IllegalStateException("FAASPOT_SANDBOX=bwrap, but bubblewrap fails: " + failure);
      }
      Log.warn(
          "bubblewrap is not available (%s): functions and pip run as uid %d without a sandbox:"
              + " other processes are visible to them and shared temporary directories writable"
              + " (see the README's threat model)",
          failure, ids.uid());
    }
    Sandbox uid = new Sandbox(SandboxMode.UID, ids.uid(), ids.gid(), limits, home, extra);
    String failure = ShortCommand.run(uid.asSpotUser(readable(config.python(), bootstrap)));
    if (failure != null) {
      throw new IllegalStateException(
          "cannot run functions as uid "
              + ids.uid()
              + ": "
              + failure
              + " (is "
              + config.python()
              + " reachable by every user?)");
    }
    Log.info("functions and pip run as uid %d", ids.uid());
    return uid;
  }

  private static List<String> readable(Path python, Path bootstrap) {
    return List.of(python.toString(), "-c", "open(" + pyString(bootstrap.toString()) + ").close()");
  }

  private static Path pythonPrefix(Path python) {
    try {
      return Path.of(PythonProbe.output(python, "import sys; print(sys.base_prefix)").strip());
    } catch (IOException e) {
      return null;
    }
  }

  private static String pyString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
