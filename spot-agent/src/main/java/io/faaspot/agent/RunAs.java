package io.faaspot.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The spot's own user ({@code FAASPOT_RUN_AS}), under which a root agent runs functions and pip,
 * and whether the agent is root at all (only root can switch to it).
 */
record RunAs(int uid, int gid) {
  /** A numeric uid (its gid the same number) or a user name from /etc/passwd. */
  static RunAs parse(String runAs) throws IOException {
    if (runAs.chars().allMatch(Character::isDigit)) {
      int id = Integer.parseInt(runAs);
      return new RunAs(id, id);
    }
    for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
      String[] f = line.split(":");
      if (f.length > 3 && f[0].equals(runAs)) {
        return new RunAs(Integer.parseInt(f[2]), Integer.parseInt(f[3]));
      }
    }
    throw new IllegalStateException("FAASPOT_RUN_AS: no user " + runAs + " in /etc/passwd");
  }

  static boolean agentIsRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.substring(4).strip().split("\\s+")[1].equals("0");
        }
      }
    } catch (IOException e) {
      // Not Linux: fall through.
    }
    return "root".equals(System.getProperty("user.name"));
  }
}
