package io.faaspot.api.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A PostgreSQL of the operator's own, which several servers share: the same binaries the embedded
 * default unpacks, run here by the suite as the embedded database's system user, on a loopback
 * port, with trust authentication (loopback only, a test's database).
 */
final class OwnPostgres implements AutoCloseable {
  private static final String OS_USER = "faaspot-db";

  private final Process postmaster;
  private final int port;

  private OwnPostgres(Process postmaster, int port) {
    this.postmaster = postmaster;
    this.port = port;
  }

  static OwnPostgres start(Path binariesRoot, Path dir) throws IOException {
    Path bin = binaries(binariesRoot);
    Files.createDirectories(dir);
    Chaos.run("chown", OS_USER, dir.toString());
    Path data = dir.resolve("data");
    Chaos.run(
        "setpriv",
        "--reuid=" + OS_USER,
        "--regid=" + OS_USER,
        "--init-groups",
        bin.resolve("initdb").toString(),
        "-D",
        data.toString(),
        "-U",
        "faaspot",
        "--auth=trust",
        "-E",
        "UTF8",
        "--no-sync");
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p =
        new ProcessBuilder(
                "setpriv",
                "--reuid=" + OS_USER,
                "--regid=" + OS_USER,
                "--init-groups",
                bin.resolve("postgres").toString(),
                "-D",
                data.toString(),
                "-p",
                Integer.toString(port),
                "-k",
                dir.toString(),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "max_connections=200")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("postgres.log").toFile())
            .start();
    OwnPostgres pg = new OwnPostgres(p, port);
    Chaos.await(
        "PostgreSQL accepts connections",
        System.nanoTime(),
        Duration.ofSeconds(60),
        () -> {
          try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
          } catch (IOException e) {
            return false;
          }
        });
    return pg;
  }

  /** The directory holding {@code initdb} and {@code postgres} under the unpacked binaries. */
  private static Path binaries(Path root) {
    try (var found = Files.find(root, 4, (p, a) -> p.endsWith("bin/initdb"))) {
      return found
          .findFirst()
          .orElseThrow(() -> new AssertionError("no PostgreSQL binaries under " + root))
          .getParent();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  String user() {
    return "faaspot";
  }

  @Override
  public void close() {
    postmaster.destroy();
    try {
      if (!postmaster.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        postmaster.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
