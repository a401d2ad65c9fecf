package io.faaspot.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/** A deployment version's files on this spot: written once per version, aside then renamed. */
final class FunctionFiles {
  private final Path dir;
  private final Sandbox sandbox;

  /** Deployment versions whose files are written already (so a call does not look on disk). */
  private final Set<Path> written = ConcurrentHashMap.newKeySet();

  /** {@code dir}: the agent's directory, which holds {@code deployments/}. */
  FunctionFiles(Path dir, Sandbox sandbox) {
    this.dir = dir;
    this.sandbox = sandbox;
  }

  /** What starts a worker for the deployment {@code d} in the environment {@code env}. */
  WorkerSpec spec(JsonNode d, Environment env) throws IOException {
    long id = d.path("id").asLong();
    int version = d.path("version").asInt();
    Path versionDir = dir.resolve("deployments").resolve(id + "-v" + version);
    Path function = versionDir.resolve("function.py");
    Path context = versionDir.resolve("context.txt");
    if (!written.contains(versionDir) && !Files.exists(context)) {
      Path aside = dir.resolve("deployments").resolve(".tmp-" + UUID.randomUUID());
      Files.createDirectories(aside);
      Files.writeString(aside.resolve("function.py"), d.path("code").asString(""));
      Files.writeString(aside.resolve("context.txt"), d.path("context").asString(""));
      if (sandbox.confined()) {
        // Readable by the spot's uid (its group), by no other, and written by the agent alone.
        for (Path p : List.of(aside, aside.resolve("function.py"), aside.resolve("context.txt"))) {
          Ownership.chown(p, 0, sandbox.gid, false);
          Ownership.mode(p, Files.isDirectory(p) ? "rwxr-x---" : "rw-r-----");
        }
      }
      try {
        Files.move(aside, versionDir, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        FileTrees.deleteQuietly(aside);
        if (!Files.exists(context)) {
          throw e;
        }
      }
    }
    written.add(versionDir);
    return new WorkerSpec(id, version, env.python(), function, context, env.key());
  }
}
