package io.faaspot.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Python environments: one virtualenv per (normalised requirements, Python version), built once
 * ({@link EnvironmentBuild}) in place and then marked ready (so a half-built one is never used),
 * never twice at once for the same key, shared by every deployment with the same requirements, and
 * evicted least recently used past a disk budget. pip's index and options come from this process's
 * environment ({@code PIP_INDEX_URL} and friends), never from here.
 */
final class Environments {
  /** The mark of a complete build: an environment without it is never used. */
  static final String READY = ".faaspot-ready";

  private final Path root;
  private final String pythonVersion;
  private final long budgetBytes;
  private final EnvironmentBuild build;
  private final EnvironmentRemoval removal;
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
    this.budgetBytes = budgetBytes;
    Files.createDirectories(root);
    Files.createDirectories(requirementsDir);
    this.pythonVersion =
        PythonProbe.output(python, "import sys; print('%d.%d' % sys.version_info[:2])").strip();
    this.removal = new EnvironmentRemoval(sandbox);
    this.build = new EnvironmentBuild(requirementsDir, python, buildTimeout, sandbox, removal);
  }

  String pythonVersion() {
    return pythonVersion;
  }

  /** How many environments this agent built (not reused) since it started. */
  int builds() {
    return builds.get();
  }

  /** The environment for these requirements, built now if this spot has none yet. */
  Environment ensure(String requirements, String requirementsHash)
      throws BuildFailed, InterruptedException {
    String key = EnvironmentKey.of(requirementsHash, requirements, pythonVersion);
    Path dir = root.resolve(key);
    // Calls come many a second: the disk is looked at (and the use recorded for eviction) at most
    // every few seconds per environment, not per call.
    Long seen = recentlyUsed.get(key);
    long now = System.nanoTime();
    if (seen != null && now - seen < RECHECK.toNanos()) {
      return new Environment(key, dir, dir.resolve("bin/python"), false, Duration.ZERO);
    }
    if (Files.exists(dir.resolve(READY))) {
      touch(dir);
      recentlyUsed.put(key, now);
      return new Environment(key, dir, dir.resolve("bin/python"), false, Duration.ZERO);
    }
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      if (Files.exists(dir.resolve(READY))) {
        touch(dir);
        return new Environment(key, dir, dir.resolve("bin/python"), false, Duration.ZERO);
      }
      long start = System.nanoTime();
      build.build(key, dir, requirements);
      builds.incrementAndGet();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      Log.info("built environment %s in %d ms", key, took.toMillis());
      evictBeyondBudget(key);
      return new Environment(key, dir, dir.resolve("bin/python"), true, took);
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

  private void evictBeyondBudget(String keep) {
    try (var entries = Files.list(root)) {
      List<Path> envs =
          new ArrayList<>(
              entries
                  .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
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
          removal.removeQuietly(p);
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
      return Files.getLastModifiedTime(env.resolve(READY), LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private void touch(Path env) {
    lastUse.put(env.getFileName().toString(), System.currentTimeMillis());
  }
}
