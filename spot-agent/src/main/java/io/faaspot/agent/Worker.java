package io.faaspot.agent;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * One warm Python process of one deployment version: it imported the function once and serves calls
 * one at a time over framed pipes. Killed on timeout or cancel, and then replaced by the pool; a
 * crash is reported with the end of what the process wrote to stderr.
 */
final class Worker implements AutoCloseable {
  final WorkerSpec spec;
  private final Process process;
  private final DataInputStream in;
  private final OutputStream out;
  private final StderrTail stderr;
  private volatile long lastUsedNanos = System.nanoTime();

  /**
   * Answers are read by the thread that made the call, straight from the pipe: no reader thread and
   * no hand-off between threads per call. Callers are platform threads (a blocking read of a pipe
   * would pin a virtual thread's carrier).
   */
  private Worker(WorkerSpec spec, Process process) {
    this.spec = spec;
    this.process = process;
    this.in = new DataInputStream(new BufferedInputStream(process.getInputStream()));
    this.out = process.getOutputStream();
    this.stderr = StderrTail.of(process);
  }

  static Worker start(
      WorkerSpec spec, Path bootstrap, Sandbox sandbox, int memoryMb, Duration importTimeout)
      throws ImportFailed, TimedOut, Crashed, IOException, InterruptedException {
    Path deploymentDir = spec.functionFile().getParent();
    List<String> command =
        sandbox.worker(
            List.of(
                spec.python().toString(),
                "-u",
                bootstrap.toString(),
                spec.functionFile().toString(),
                spec.contextFile().toString()),
            deploymentDir,
            spec.python().getParent().getParent(),
            bootstrap);
    ProcessBuilder pb = new ProcessBuilder(command).directory(deploymentDir.toFile());
    CleanEnvironment.forFunctions(pb.environment());
    sandbox.workerEnvironment(pb.environment());
    pb.environment().put("FAASPOT_WORKER_MEMORY_MB", Integer.toString(memoryMb));
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Worker w = new Worker(spec, Spawner.start(pb));
    JsonNode ready;
    try {
      ready = w.readAnswer(importTimeout);
    } catch (TimedOut | Crashed e) {
      w.close();
      throw e;
    }
    if (!ready.path("ready").asBoolean(false)) {
      w.close();
      throw new ImportFailed(ready.path("error").asString(""), ready.path("logs").asString(""));
    }
    return w;
  }

  Answer call(JsonNode args, Duration timeout)
      throws TimedOut, Crashed, IOException, InterruptedException {
    lastUsedNanos = System.nanoTime();
    var request = ServerClient.JSON.createObjectNode();
    request.set("args", args);
    try {
      Frames.write(out, ServerClient.JSON.writeValueAsBytes(request));
    } catch (IOException e) {
      throw new Crashed(crashText());
    }
    JsonNode answer = readAnswer(timeout);
    lastUsedNanos = System.nanoTime();
    return new Answer(
        answer.path("status").asString("Failure"),
        answer.get("output"),
        answer.path("logs").asString(""));
  }

  /** Reads the next frame; past the timeout the process is killed and this says so. */
  private JsonNode readAnswer(Duration timeout) throws TimedOut, Crashed, InterruptedException {
    // Exactly one of the answer and the watchdog settles the read: an answer that arrives as the
    // timeout passes is either taken whole or not at all.
    Watchdog.Watch watch = Watchdog.CALLS.watch(timeout, this::destroy);
    byte[] bytes = null;
    boolean inTime;
    try {
      bytes = Frames.read(in);
    } catch (IOException e) {
      // The process ended or wrote garbage: either way, no answer.
    } finally {
      inTime = watch.answered();
    }
    if (!inTime) {
      kill();
      throw new TimedOut(timeout);
    }
    if (bytes == null) {
      throw new Crashed(crashText());
    }
    return ServerClient.JSON.readTree(bytes);
  }

  private String crashText() throws InterruptedException {
    process.waitFor(2, TimeUnit.SECONDS);
    String exit = process.isAlive() ? "still running" : "exit code " + process.exitValue();
    String tail = stderr.text();
    return "The function's process ended unexpectedly ("
        + exit
        + ")."
        + (tail.isBlank() ? "" : "\n" + tail);
  }

  boolean alive() {
    return process.isAlive();
  }

  long idleNanos() {
    return System.nanoTime() - lastUsedNanos;
  }

  private void destroy() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** Kills the process and anything it started, and waits (briefly) until it is gone. */
  void kill() {
    destroy();
    try {
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    kill();
  }
}
