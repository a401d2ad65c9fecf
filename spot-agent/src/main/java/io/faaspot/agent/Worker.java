package io.faaspot.agent;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.JsonNode;

/**
 * One warm Python process of one deployment version: it imported the function once and serves calls
 * one at a time over framed pipes. Killed on timeout or cancel, and then replaced by the pool; a
 * crash is reported with the end of what the process wrote to stderr.
 */
final class Worker implements AutoCloseable {
  /** What a worker runs: a deployment version in an environment. */
  record Spec(
      long deploymentId,
      int version,
      Path python,
      Path functionFile,
      Path contextFile,
      String envKey) {
    String key() {
      return deploymentId + "-v" + version + "-" + envKey;
    }
  }

  /** The import failed: the traceback is the answer. */
  static final class ImportFailed extends Exception {
    final String traceback;
    final String logs;

    ImportFailed(String traceback, String logs) {
      super("the function could not be imported");
      this.traceback = traceback;
      this.logs = logs;
    }
  }

  static final class TimedOut extends Exception {
    TimedOut(Duration after) {
      super("timed out after " + after.toSeconds() + " s");
    }
  }

  static final class Crashed extends Exception {
    Crashed(String message) {
      super(message);
    }
  }

  /** A call's answer: {@code status} Success or Failure, {@code output} any JSON, logs. */
  record Answer(String status, JsonNode output, String logs) {}

  private static final int STDERR_TAIL = 8192;

  /** Kills the process of a call past its timeout: the reading thread then sees its end. */
  private static final ScheduledExecutorService ALARMS =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("worker-timeouts").factory());

  final Spec spec;
  private final Process process;
  private final DataInputStream in;
  private final OutputStream out;
  private final StringBuilder stderr = new StringBuilder();
  private volatile long lastUsedNanos = System.nanoTime();

  /**
   * Answers are read by the thread that made the call, straight from the pipe: no reader thread and
   * no hand-off between threads per call. Callers are platform threads (a blocking read of a pipe
   * would pin a virtual thread's carrier). The process's stderr is drained by a thread of its own,
   * so a chatty function cannot block on a full pipe.
   */
  private Worker(Spec spec, Process process) {
    this.spec = spec;
    this.process = process;
    this.in = new DataInputStream(new BufferedInputStream(process.getInputStream()));
    this.out = process.getOutputStream();
    Thread.ofPlatform().daemon().name("worker-stderr-" + process.pid()).start(this::drainStderr);
  }

  static Worker start(
      Spec spec, Path bootstrap, Sandbox sandbox, int memoryMb, Duration importTimeout)
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
    // Exactly one of the reader and the alarm settles the read: an answer that arrives as the
    // alarm goes off is either taken whole or not at all.
    AtomicBoolean reading = new AtomicBoolean(true);
    ScheduledFuture<?> alarm =
        ALARMS.schedule(
            () -> {
              if (reading.compareAndSet(true, false)) {
                destroy();
              }
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    byte[] bytes;
    try {
      bytes = Frames.read(in);
    } catch (IOException e) {
      bytes = null; // The process ended or wrote garbage: either way, no answer.
    } finally {
      alarm.cancel(false);
    }
    if (!reading.compareAndSet(true, false)) {
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
    String tail;
    synchronized (stderr) {
      tail = stderr.toString();
    }
    return "The function's process ended unexpectedly ("
        + exit
        + ")."
        + (tail.isBlank() ? "" : "\n" + tail);
  }

  private void drainStderr() {
    try (InputStream err = process.getErrorStream()) {
      byte[] buf = new byte[4096];
      int n;
      while ((n = err.read(buf)) > 0) {
        synchronized (stderr) {
          stderr.append(new String(buf, 0, n, StandardCharsets.UTF_8));
          if (stderr.length() > STDERR_TAIL) {
            stderr.delete(0, stderr.length() - STDERR_TAIL);
          }
        }
      }
    } catch (IOException ignored) {
      // The process ended.
    }
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
