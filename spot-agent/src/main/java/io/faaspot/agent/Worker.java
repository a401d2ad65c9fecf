package io.faaspot.agent;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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

  final Spec spec;
  private final Process process;
  private final DataInputStream in;
  private final OutputStream out;
  private final StringBuilder stderr = new StringBuilder();
  private final LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
  private volatile long lastUsedNanos = System.nanoTime();

  /** Marks the end of the worker's output (EOF or a broken frame). */
  private static final byte[] END = new byte[0];

  /**
   * Reading a process's pipes blocks in native code, which pins a virtual thread to its carrier: a
   * few idle workers would hold every carrier and starve the calls. So each worker's two pipes are
   * read by platform threads of its own.
   */
  private Worker(Spec spec, Process process) {
    this.spec = spec;
    this.process = process;
    this.in = new DataInputStream(new BufferedInputStream(process.getInputStream()));
    this.out = process.getOutputStream();
    Thread.ofPlatform().daemon().name("worker-stderr-" + process.pid()).start(this::drainStderr);
    Thread.ofPlatform().daemon().name("worker-frames-" + process.pid()).start(this::readFrames);
  }

  private void readFrames() {
    try {
      byte[] frame;
      while ((frame = Frames.read(in)) != null) {
        frames.add(frame);
      }
    } catch (IOException e) {
      // The process ended or wrote garbage: either way, no more answers.
    } finally {
      frames.add(END);
    }
  }

  static Worker start(
      Spec spec, Path bootstrap, List<String> runAsPrefix, int memoryMb, Duration importTimeout)
      throws ImportFailed, TimedOut, Crashed, IOException, InterruptedException {
    List<String> command = new ArrayList<>(runAsPrefix);
    command.addAll(
        List.of(
            spec.python().toString(),
            "-u",
            bootstrap.toString(),
            spec.functionFile().toString(),
            spec.contextFile().toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(spec.functionFile().getParent().toFile());
    CleanEnvironment.forFunctions(pb.environment());
    pb.environment().put("FAASPOT_WORKER_MEMORY_MB", Integer.toString(memoryMb));
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Worker w = new Worker(spec, pb.start());
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

  /** Waits for the next frame; past the timeout the process is killed. */
  private JsonNode readAnswer(Duration timeout) throws TimedOut, Crashed, InterruptedException {
    byte[] bytes = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (bytes == null) {
      kill();
      throw new TimedOut(timeout);
    }
    if (bytes == END) {
      frames.add(END);
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

  /** Kills the process and anything it started, and waits (briefly) until it is gone. */
  void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
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
