package io.faaspot.agent;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs one call on a worker of its deployment's environment, and makes its result: a function call
 * answers what the function returned, a deployment build whether the environment is ready. Every
 * failure (requirements, import, timeout, crash) is a Failure result with its reason.
 */
final class CallRunner {
  static final String RUN = "tasks.run_deployment";
  static final String CREATE_DEPLOYMENT = "tasks.create_deployment";

  private final ServerClient server;
  private final Environments envs;
  private final WorkerPool pool;
  private final FunctionFiles files;
  private final RunTimes runTimes;

  CallRunner(
      ServerClient server,
      Environments envs,
      WorkerPool pool,
      FunctionFiles files,
      RunTimes runTimes) {
    this.server = server;
    this.envs = envs;
    this.pool = pool;
    this.files = files;
    this.runTimes = runTimes;
  }

  /** The call's result to send, or null if it was abandoned meanwhile (nothing is sent). */
  ObjectNode run(RunningCall r, JsonNode call) {
    String kind = call.path("kind").asString(RUN);
    JsonNode d = call.get("deployment");
    ObjectNode result = server.object();
    result.put("execution_id", r.id.toString());
    result.put("attempt", r.attempt);
    if (KnownDeployments.missing(d)) {
      return unrunnable(result, d);
    }
    int timeoutSeconds = d.path("timeout_seconds").asInt(60);
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    Environment env = null;
    try {
      env =
          envs.ensure(
              d.path("requirements").asString(""), d.path("requirements_hash").asString(null));
      envs.acquire(env.key());
      WorkerSpec spec = files.spec(d, env);
      if (CREATE_DEPLOYMENT.equals(kind)) {
        Worker w = pool.acquire(spec, timeout);
        pool.release(w);
        ObjectNode out = result.putObject("output");
        out.put(
            "message",
            "Deployment '"
                + d.path("name").asString()
                + "' version "
                + d.path("version").asInt()
                + " is ready on this spot: "
                + (env.built()
                    ? "environment built in " + env.buildTime().toMillis() + " ms"
                    : "environment reused")
                + ", function imported.");
        out.put("environment", env.key());
        out.put("environment_built", env.built());
        result.put("status", "Success");
        result.put("logs", "");
      } else {
        Worker w = pool.acquire(spec, timeout);
        r.worker = w;
        if (r.abandoned) {
          pool.discard(w);
          return null;
        }
        Instant runStarted = Instant.now();
        long t0 = System.nanoTime();
        Answer a = w.call(call.get("args"), timeout);
        runTimes.record(System.nanoTime() - t0);
        result.put("started_at", runStarted.toString());
        result.put("finished_at", Instant.now().toString());
        pool.release(w);
        result.put("status", a.status());
        result.set("output", a.output());
        result.put("logs", a.logs());
      }
    } catch (BuildFailed e) {
      result.put("status", "Failure");
      result.put(
          "output", "Installing the requirements failed: " + e.getMessage() + "\n" + e.output);
    } catch (ImportFailed e) {
      result.put("status", "Failure");
      result.put("output", e.traceback);
      result.put("logs", e.logs);
    } catch (TimedOut e) {
      discardWorker(r);
      result.put("status", "Failure");
      result.put(
          "output",
          "Timed out after "
              + timeoutSeconds
              + " s: the function's process was stopped (the next call gets a new one).");
    } catch (Crashed e) {
      discardWorker(r);
      result.put("status", "Failure");
      result.put("output", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      discardWorker(r);
      r.abandoned = true;
    } catch (IOException | RuntimeException e) {
      discardWorker(r);
      result.put("status", "Failure");
      result.put("output", "The agent could not run the call: " + e);
    } finally {
      if (env != null) {
        envs.release(env.key());
      }
    }
    return r.abandoned ? null : result;
  }

  /** A call whose deployment this agent does not have: reported as failed, nothing run. */
  private static ObjectNode unrunnable(ObjectNode result, JsonNode d) {
    result.put("status", "Failure");
    result.put(
        "output",
        d == null || !d.isObject()
            ? "The agent got the call without its deployment."
            : "The agent does not have deployment "
                + d.path("name").asString("?")
                + " version "
                + d.path("version").asInt()
                + ": the server sent it as already given. Nothing was run.");
    result.put("logs", "");
    return result;
  }

  private void discardWorker(RunningCall r) {
    Worker w = r.worker;
    if (w != null) {
      pool.discard(w);
      r.worker = null;
    }
  }
}
