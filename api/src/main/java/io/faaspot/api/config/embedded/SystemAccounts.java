package io.faaspot.api.config.embedded;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The database's system user, looked up and created with the system's own tools (id, useradd). */
final class SystemAccounts {
  private static final Logger log = LoggerFactory.getLogger(SystemAccounts.class);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  private SystemAccounts() {}

  /** Creates the system user unless it exists: no home, no login shell, a group of its own. */
  static void ensure(String name) throws IOException {
    if (!exists(name)) {
      create(name);
    }
  }

  private static boolean exists(String name) throws IOException {
    return Commands.run(List.of(Commands.require("id"), "-u", name), null, null, COMMAND_TIMEOUT)
        .ok();
  }

  private static void create(String name) throws IOException {
    List<String> useradd =
        List.of(
            Commands.require("useradd"),
            "--system",
            "--user-group",
            "--no-create-home",
            "--home-dir",
            "/nonexistent",
            "--shell",
            "/usr/sbin/nologin",
            name);
    Commands.Result r = Commands.run(useradd, null, null, COMMAND_TIMEOUT);
    // Another server starting at the same moment may have made it first.
    if (!r.ok() && !exists(name)) {
      throw new IOException("useradd " + name + " failed: " + r.output().strip());
    }
    log.info("created the system user {} for the embedded PostgreSQL", name);
  }

  static int id(String name, String which) throws IOException {
    Commands.Result r =
        Commands.run(List.of(Commands.require("id"), which, name), null, null, COMMAND_TIMEOUT);
    if (!r.ok()) {
      throw new IOException("id " + which + " " + name + ": " + r.output().strip());
    }
    return Integer.parseInt(r.output().strip());
  }
}
