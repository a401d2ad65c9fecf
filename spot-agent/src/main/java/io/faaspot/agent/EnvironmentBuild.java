package io.faaspot.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds an environment in place, as the spot's uid and in its sandbox: the venv, pip, then the
 * ready mark, which only a complete build has (a half-built one left by a crash is removed first).
 * pip and whatever a package's build runs are as hostile as a function: they never run as the
 * agent. Apart from {@link Environments}, which decides when to build, share and evict.
 */
final class EnvironmentBuild {
  private final Path requirementsDir;
  private final Path python;
  private final Sandbox sandbox;
  private final BuildStep step;
  private final EnvironmentRemoval removal;
  private final boolean systemPip;

  EnvironmentBuild(
      Path requirementsDir,
      Path python,
      Duration buildTimeout,
      Sandbox sandbox,
      EnvironmentRemoval removal) {
    this.requirementsDir = requirementsDir;
    this.python = python;
    this.step = new BuildStep(sandbox, buildTimeout);
    this.sandbox = sandbox;
    this.removal = removal;
    // Installing with the system's pip into a pip-less venv takes a fraction of a second;
    // bootstrapping pip into every venv takes seconds. Fall back to that where there is no pip.
    this.systemPip = PythonProbe.succeeds(python, "-m", "pip", "--version");
  }

  /** Builds the environment {@code key} in {@code dir}. */
  void build(String key, Path dir, String requirements) throws BuildFailed, InterruptedException {
    Path requirementsFile = null;
    try {
      if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        removal.remove(dir);
      }
      // The agent makes the directory, in one the spot's uid cannot write: the uid fills it, but
      // can never swap it for a link to a place of someone else's that a sandbox would then show.
      Files.createDirectory(dir);
      if (sandbox.confined()) {
        Ownership.chown(dir, sandbox.uid, sandbox.gid, false);
        Ownership.mode(dir, "rwx------");
      }
      step.run(
          List.of(python.toString(), "-m", "venv", "--without-pip", dir.toString()),
          dir,
          null,
          "venv");
      if (!requirements.isBlank()) {
        requirementsFile = requirementsDir.resolve(key + "-" + UUID.randomUUID() + ".txt");
        Files.writeString(requirementsFile, requirements);
        if (sandbox.confined()) {
          Ownership.chown(requirementsFile, 0, sandbox.gid, false);
          Ownership.mode(requirementsFile, "rw-r-----");
        }
        Path venvPython = dir.resolve("bin/python");
        List<String> pip =
            systemPip
                ? List.of(python.toString(), "-m", "pip", "--python", venvPython.toString())
                : List.of(venvPython.toString(), "-m", "pip");
        if (!systemPip) {
          step.run(
              List.of(venvPython.toString(), "-m", "ensurepip", "--default-pip"),
              dir,
              null,
              "ensurepip");
        }
        List<String> install = new ArrayList<>(pip);
        install.addAll(
            List.of(
                "install",
                "--no-input",
                "--disable-pip-version-check",
                "-r",
                requirementsFile.toString()));
        step.run(install, dir, requirementsFile, "pip install");
      }
      step.run(
          List.of("touch", dir.resolve(Environments.READY).toString()),
          dir,
          null,
          "marking the environment ready");
    } catch (IOException e) {
      removal.removeQuietly(dir);
      throw new BuildFailed("environment build failed: " + e.getMessage(), e.toString());
    } catch (BuildFailed | InterruptedException e) {
      removal.removeQuietly(dir);
      throw e;
    } finally {
      if (requirementsFile != null) {
        try {
          Files.deleteIfExists(requirementsFile);
        } catch (IOException ignored) {
          // A file in the agent's own directory; the next build does not need it.
        }
      }
    }
  }
}
