package io.faaspot.api.chaos;

import io.faaspot.api.testing.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged server ({@code api/target/faaspot-server.jar}) as an operator runs it: a process of
 * its own, configured through its command line, which a fault can kill with {@code SIGKILL} and a
 * plain restart brings back on the same port and data directory.
 */
final class ServerProcess {
  static final Path SERVER_JAR = Path.of("target/faaspot-server.jar").toAbsolutePath();
  static final Path AGENT_JAR =
      Path.of("../spot-agent/target/faaspot-agent.jar").toAbsolutePath().normalize();

  /** The PostgreSQL binaries the build unpacked once, which each server reuses when there. */
  static final Path PG_BINARIES = Path.of("target/pg-binaries").toAbsolutePath();

  private final String name;
  private final int port;
  private final Path dataDir;
  private final Map<String, String> properties;
  private final List<String> jvmOptions;
  private Process process;

  ServerProcess(String name, int port, Path dataDir, Map<String, String> properties) {
    this(name, port, dataDir, properties, List.of());
  }

  ServerProcess(
      String name,
      int port,
      Path dataDir,
      Map<String, String> properties,
      List<String> jvmOptions) {
    this.name = name;
    this.port = port;
    this.dataDir = dataDir;
    this.properties = properties;
    this.jvmOptions = jvmOptions;
  }

  /** Starts the server and waits until it is healthy; returns how long that took. */
  Duration start() {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(SERVER_JAR.toString());
    command.add("--server.port=" + port);
    command.add("--faaspot.data-dir=" + dataDir);
    command.add("--faaspot.spots.local.agent-jar=" + AGENT_JAR);
    properties.forEach((k, v) -> command.add("--" + k + "=" + v));
    long t0 = System.nanoTime();
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Http http = http();
    long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited at start:\n" + tail());
      }
      try {
        if (http.send("GET", "/actuator/health", null, null).status() == 200) {
          return Duration.ofNanos(System.nanoTime() - t0);
        }
      } catch (RuntimeException e) {
        // Not listening yet.
      }
      Chaos.pause(Duration.ofMillis(100));
    }
    throw new AssertionError(name + " was not healthy within 300 s:\n" + tail());
  }

  /** {@code kill -9}: what the kernel's OOM killer or a crash does. */
  void kill9() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  long pid() {
    return process.pid();
  }

  Http http() {
    return new Http("http://127.0.0.1:" + port);
  }

  Path dataDir() {
    return dataDir;
  }

  Path log() {
    return dataDir.resolveSibling(name + ".log");
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log());
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** A data directory the database's user and the spots' uids can pass through (0711). */
  static Path dataDir(Path parent, String name) throws IOException {
    Path dir = parent.resolve(name);
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
    return dir;
  }

  static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
