package io.faaspot.scheduler.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A real EC2 API emulator on loopback ({@code python3 -m moto.server}), one per JVM. Tests that use
 * it fail, rather than skip, when moto is missing: the EC2 provider must not go untested.
 */
public final class MotoServer {
  private static URI endpoint;

  private MotoServer() {}

  public static synchronized URI endpoint() {
    if (endpoint == null) {
      endpoint = start();
    }
    return endpoint;
  }

  private static URI start() {
    try {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Path log = Files.createTempFile("moto", ".log");
      Process p =
          new ProcessBuilder(
                  "python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
      URI uri = URI.create("http://127.0.0.1:" + port);
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      while (Instant.now().isBefore(deadline)) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "moto did not start (is python3 -m moto.server installed?): "
                  + Files.readString(log));
        }
        try {
          HttpURLConnection c =
              (HttpURLConnection) uri.resolve("/moto-api/").toURL().openConnection();
          c.setConnectTimeout(500);
          if (c.getResponseCode() > 0) {
            return uri;
          }
        } catch (IOException notYet) {
          Thread.sleep(100);
        }
      }
      throw new IllegalStateException("moto did not answer within 30 s: " + Files.readString(log));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start moto", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
