package io.faaspot.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Python environments: one virtualenv per (normalised requirements, Python version), built once, in
 * place and then marked ready (so a half-built one is never used), never twice at once for the same
 * key, shared by every deployment with the same requirements, and evicted least recently used past
 * a disk budget. pip's index and options come from this process's environment ({@code
 * PIP_INDEX_URL} and friends), never from here.
 */
final class Environments {
  /** A usable environment. */
  record Env(String key, Path dir, Path python, boolean built, Duration buildTime) {}

  /** pip (or venv) failed; {@code output} is what it said. */
  static final class BuildFailed extends Exception {
    final String output;

    BuildFailed(String message, String output) {
      super(message);
      this.output = output;
    }
  }

  private static final String READY = ".faaspot-ready";

  private final Path root;
  private final Path requirementsDir;
  private final Path python;
  private final Sandbox sandbox;
  private final String pythonVersion;
  private final long budgetBytes;
  private final BuildStep step;
  private final boolean systemPip;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  /** When each environment was last found on disk and its use recorded (System.nanoTime). */
  private final ConcurrentHashMap<String, Long> recentlyUsed = new ConcurrentHashMap<>();

  /**
   * When each environment was last used (epoch ms), for eviction. Kept here, not as a file's time:
   * the agent never writes into a directory the spot's uid can write (a planted link would turn the
   * write against another file).
   */
  private final ConcurrentHashMap<String, Long> lastUse = new ConcurrentHashMap<>();

  private static final Duration RECHECK = Duration.ofSeconds(10);
  private final Map<String, AtomicInteger> inUse = new ConcurrentHashMap<>();
  private final AtomicInteger builds = new AtomicInteger();

  Environments(
      Path root,
      Path requirementsDir,
      Path python,
      long budgetBytes,
      Duration buildTimeout,
      Sandbox sandbox)
      throws IOException {
    this.root = root;
    this.requirementsDir = requirementsDir;
    this.python = python;
    this.budgetBytes = budgetBytes;
    this.step = new BuildStep(sandbox, buildTimeout);
    this.sandbox = sandbox;
    Files.createDirectories(root);
    Files.createDirectories(requirementsDir);
    this.pythonVersion =
        PythonProbe.output(python, "import sys; print('%d.%d' % sys.version_info[:2])").strip();
    // Installing with the system's pip into a pip-less venv takes a fraction of a second;
    // bootstrapping pip into every venv takes seconds. Fall back to that where there is no pip.
    this.systemPip = PythonProbe.succeeds(python, "-m", "pip", "--version");
  }

  String pythonVersion() {
    return pythonVersion;
  }

  /** How many environments this agent built (not reused) since it started. */
  int builds() {
    return builds.get();
  }

  static String key(String requirementsHash, String requirements, String pythonVersion) {
    String hash = requirementsHash;
    if (hash == null || hash.isBlank()) {
      try {
        hash =
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256")
                        .digest(requirements.strip().getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return "py" + pythonVersion + "-" + hash.substring(0, Math.min(24, hash.length()));
  }

  /** The environment for these requirements, built now if this spot has none yet. */
  Env ensure(String requirements, String requirementsHash)
      throws BuildFailed, InterruptedException {
    String key = key(requirementsHash, requirements, pythonVersion);
    Path dir = root.resolve(key);
    // Calls come many a second: the disk is looked at (and the use recorded for eviction) at most
    // every few seconds per environment, not per call.
    Long seen = recentlyUsed.get(key);
    long now = System.nanoTime();
    if (seen != null && now - seen < RECHECK.toNanos()) {
      return new Env(key, dir, dir.resolve("bin/python"), false, Duration.ZERO);
    }
    if (Files.exists(dir.resolve(READY))) {
      touch(dir);
      recentlyUsed.put(key, now);
      return new Env(key, dir, dir.resolve("bin/python"), false, Duration.ZERO);
    }
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      if (Files.exists(dir.resolve(READY))) {
        touch(dir);
        return new Env(key, dir, dir.resolve("bin/python"), false, Duration.ZERO);
      }
      long start = System.nanoTime();
      build(key, dir, requirements);
      builds.incrementAndGet();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      Log.info("built environment %s in %d ms", key, took.toMillis());
      evictBeyondBudget(key);
      return new Env(key, dir, dir.resolve("bin/python"), true, took);
    }
  }

  void acquire(String key) {
    inUse.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  void release(String key) {
    AtomicInteger n = inUse.get(key);
    if (n != null) {
      n.decrementAndGet();
    }
  }

  /**
   * Builds in place, as the spot's uid and in its sandbox: the venv, pip, then the ready mark,
   * which only a complete build has (a half-built one left by a crash is removed first). pip and
   * whatever a package's build runs are as hostile as a function: they never run as the agent.
   */
  private void build(String key, Path dir, String requirements)
      throws BuildFailed, InterruptedException {
    Path requirementsFile = null;
    try {
      if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        remove(dir);
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
          List.of("touch", dir.resolve(READY).toString()),
          dir,
          null,
          "marking the environment ready");
    } catch (IOException e) {
      removeQuietly(dir);
      throw new BuildFailed("environment build failed: " + e.getMessage(), e.toString());
    } catch (BuildFailed | InterruptedException e) {
      removeQuietly(dir);
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

  /**
   * Deletes an environment. What the spot's uid wrote is deleted by that uid (see {@link
   * Sandbox#asSpotUser}); the agent then removes the emptied directory, which is its own.
   */
  private void remove(Path dir) throws IOException, InterruptedException {
    if (!sandbox.confined()
        || !Files.getAttribute(dir, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS)
            .equals(sandbox.uid)) {
      // Not confined, or built as root by an earlier version: nothing in it the uid could swap.
      FileTrees.deleteQuietly(dir);
      return;
    }
    Process p =
        Spawner.start(
            new ProcessBuilder(
                    sandbox.asSpotUser(
                        List.of("find", dir.toString(), "-mindepth", "1", "-delete")))
                .redirectErrorStream(true));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("cannot delete " + dir + ": " + out.strip());
    }
    Files.delete(dir);
  }

  private void removeQuietly(Path dir) {
    try {
      remove(dir);
    } catch (IOException e) {
      Log.warn("%s", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void evictBeyondBudget(String keep) {
    try (var entries = Files.list(root)) {
      List<Path> envs =
          new ArrayList<>(
              entries
                  .filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                  .filter(p -> Files.exists(p.resolve(READY)))
                  .toList());
      long total = 0;
      for (Path p : envs) {
        total += FileTrees.size(p);
      }
      envs.sort((a, b) -> lastUsed(a).compareTo(lastUsed(b)));
      for (Path p : envs) {
        if (total <= budgetBytes) {
          break;
        }
        String key = p.getFileName().toString();
        AtomicInteger users = inUse.get(key);
        Long seen = recentlyUsed.get(key);
        if (key.equals(keep)
            || (users != null && users.get() > 0)
            || (seen != null && System.nanoTime() - seen < RECHECK.toNanos())) {
          continue;
        }
        long size = FileTrees.size(p);
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
          recentlyUsed.remove(key);
          lastUse.remove(key);
          removeQuietly(p);
        }
        total -= size;
        Log.info("evicted environment %s (%d MB) to stay within the disk budget", key, size >> 20);
      }
    } catch (IOException e) {
      Log.warn("environment eviction failed: %s", e);
    }
  }

  /** The last use this run saw, else (an environment of an earlier run) when it was built. */
  private FileTime lastUsed(Path env) {
    Long used = lastUse.get(env.getFileName().toString());
    if (used != null) {
      return FileTime.fromMillis(used);
    }
    try {
      return Files.getLastModifiedTime(env.resolve(READY), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private void touch(Path env) {
    lastUse.put(env.getFileName().toString(), System.currentTimeMillis());
  }
}
