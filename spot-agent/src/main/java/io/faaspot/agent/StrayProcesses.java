package io.faaspot.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds and kills processes of the spot's uid that this agent did not start and that no other
 * process of another user holds: workers' children that detached themselves (double fork, now
 * children of init), and whatever an earlier run of this agent left.
 */
final class StrayProcesses {
  private StrayProcesses() {}

  /** Kills the strays of {@code uid}; returns how many it killed. */
  static int kill(int uid) {
    Set<Long> mine = new HashSet<>();
    ProcessHandle.current().descendants().forEach(h -> mine.add(h.pid()));
    int killed = 0;
    try (var entries = Files.list(Path.of("/proc"))) {
      for (Path p : entries.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        long pid = Long.parseLong(name);
        if (!mine.contains(pid) && ProcStatus.realUid(pid) == uid && orphaned(pid, uid)) {
          if (ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false)) {
            killed++;
          }
        }
      }
    } catch (IOException e) {
      Log.warn("cannot look for stray processes: %s", e.getMessage());
    }
    if (killed > 0) {
      Log.info("killed %d stray process(es) of uid %d", killed, uid);
    }
    return killed;
  }

  /** Whether only this uid's processes stand between the process and init. */
  private static boolean orphaned(long pid, int uid) {
    long p = pid;
    for (int depth = 0; depth < 64; depth++) {
      long parent = ProcStatus.parentPid(p);
      if (parent <= 1) {
        return true;
      }
      if (ProcStatus.realUid(parent) != uid) {
        return false;
      }
      p = parent;
    }
    return true;
  }
}
