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
import java.util.Set;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;

/** What the chaos suite does to the machine, and what it reads back from the API. */
final class Chaos {
  private static final Set<String> FINAL = Set.of("Success", "Failure", "Cancelled");

  private Chaos() {}

  static void pause(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until the condition holds; returns how long that took from {@code since}. */
  static Duration await(String what, long since, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return Duration.ofNanos(System.nanoTime() - since);
        }
      } catch (RuntimeException e) {
        // The server may be down for a moment: ask again.
      }
      pause(Duration.ofMillis(200));
    }
    throw new AssertionError(what + ": not within " + timeout.toSeconds() + " s");
  }

  /** Sends a signal to a process ({@code STOP}, {@code CONT}, {@code KILL}...). */
  static void signal(long pid, String signal) {
    try {
      Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
      if (p.waitFor() != 0) {
        throw new AssertionError("kill -" + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The caller's spots in the Ready state. */
  static List<JsonNode> readySpots(Http.User user) {
    List<JsonNode> ready = new ArrayList<>();
    user.get("/api/spots/")
        .json()
        .forEach(
            s -> {
              if (s.path("state").asString().equals("Ready")) {
                ready.add(s);
              }
            });
    return ready;
  }

  /** The agent process behind a local spot: its instance id is {@code local-<pid>}. */
  static long agentPid(JsonNode spot) {
    return Long.parseLong(spot.path("instance_id").asString().substring("local-".length()));
  }

  /** The executions behind ids, read in chunks through the bulk get. */
  static Map<String, JsonNode> executions(Http.User user, List<String> ids) {
    Map<String, JsonNode> all = new java.util.HashMap<>();
    for (int i = 0; i < ids.size(); i += 500) {
      List<String> chunk = ids.subList(i, Math.min(ids.size(), i + 500));
      Http.Response r = user.post("/api/executions/bulk", Http.JSON.writeValueAsString(chunk));
      if (r.status() != 200) {
        throw new IllegalStateException("bulk get: " + r.status() + " " + r.body());
      }
      for (JsonNode e : r.json()) {
        all.put(e.path("uuid").asString(), e);
      }
    }
    return all;
  }

  static boolean allFinal(Map<String, JsonNode> executions, int expected) {
    return executions.size() == expected
        && executions.values().stream().allMatch(e -> FINAL.contains(e.path("status").asString()));
  }

  /** A directory the embedded PostgreSQL's user and the spots' uids may pass through. */
  static Path traversableDir(Path parent, String name) {
    try {
      Files.createDirectories(parent);
      Path dir = Files.createTempDirectory(parent, name);
      Files.setPosixFilePermissions(
          dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
