package io.faaspot.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agent of one spot. Lifecycle: STARTING (registering) → RUNNING (claiming) → DRAINING (no new
 * work; running calls finish) → STOPPED. Three loops, each catching everything, backing off with
 * jitter and keeping the interrupt flag: the poll loop claims work for free worker slots, the
 * heartbeat loop extends leases and applies cancels and drain requests, the results loop sends
 * finished calls in batches.
 */
final class Agent {
  enum State {
    STARTING,
    RUNNING,
    DRAINING,
    STOPPED
  }

  static final String RUN = "tasks.run_deployment";
  static final String CREATE_DEPLOYMENT = "tasks.create_deployment";
  static final String VERSION = "0.1.0";

  /** A call in progress: its worker, and whether its result must be dropped. */
  private static final class Running {
    final UUID id;
    final int attempt;
    volatile Worker worker;
    volatile boolean abandoned;

    Running(UUID id, int attempt) {
      this.id = id;
      this.attempt = attempt;
    }
  }

  private final AgentConfig config;
  private final ServerClient server;
  private final Sandbox sandbox;
  private final Environments envs;
  private final WorkerPool pool;
  private final Map<UUID, Running> running = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<ObjectNode> outbox = new LinkedBlockingQueue<>();

  /**
   * The runners: one platform thread per worker slot in use, taking calls from {@link #waiting} one
   * after another until none is left. A runner reads its worker's answer straight from the pipe,
   * which would pin a virtual thread's carrier.
   */
  private final ExecutorService runners =
      Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("call-", 0).factory());

  /** A call given to this agent that no runner has taken yet. */
  private record Taken(Running running, JsonNode call) {}

  /** Calls given to this agent and not started yet, in the order they came; under slots. */
  private final ArrayDeque<Taken> waiting = new ArrayDeque<>();

  /** Deployment versions whose files are written already (so a call does not look on disk). */
  private final java.util.Set<Path> written = ConcurrentHashMap.newKeySet();

  private final KnownDeployments deployments = new KnownDeployments();

  private final Object slots = new Object();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile State state = State.STARTING;
  private volatile Duration heartbeat = Duration.ofSeconds(5);
  private volatile Duration pollWait = Duration.ofSeconds(20);

  /** The open stream, if calls and results go over one now. */
  private volatile Stream stream;

  /** Credit the stream's server side still holds (calls it may send unasked); under slots. */
  private int outstanding;

  /** Runners now, each holding a worker slot; under slots. */
  private int busy;

  /** Recent calls' run time, a moving average in ms (NaN until one ran): sizes the prefetch. */
  private volatile double averageRunMs = Double.NaN;

  /** Most calls taken ahead of free workers, however short they are. */
  private static final int MAX_AHEAD = 256;

  Agent(AgentConfig config) throws IOException {
    this.config = config;
    this.server = new ServerClient(config.serverUrl());
    Files.createDirectories(config.dir());
    Path bootstrap = config.dir().resolve("bootstrap.py");
    try (InputStream in = Agent.class.getResourceAsStream("bootstrap.py")) {
      Files.copy(in, bootstrap, StandardCopyOption.REPLACE_EXISTING);
    }
    this.sandbox = SandboxSetup.choose(config, config.dir(), bootstrap);
    // What an earlier run of this agent left running as the spot's uid goes first.
    sandbox.killStrays();
    this.envs =
        new Environments(
            config.dir().resolve("envs"),
            config.dir().resolve("requirements"),
            config.python(),
            config.envBudgetBytes(),
            config.buildTimeout(),
            sandbox);
    this.pool = new WorkerPool(bootstrap, sandbox, config.workerMemoryMb());
  }

  State state() {
    return state;
  }

  /** Registers (or resumes with the credential of an earlier run), then runs until stopped. */
  void run() throws InterruptedException {
    if (!resume()) {
      register();
    }
    state = State.RUNNING;
    Thread.ofPlatform().name("heartbeat").daemon().start(this::heartbeatLoop);
    if (config.imdsUrl() != null) {
      InterruptionWatch watch =
          new InterruptionWatch(config.imdsUrl(), config.imdsInterval(), this::interrupted);
      Thread.ofPlatform()
          .name("imds")
          .daemon()
          .start(() -> watch.run(() -> state != State.STOPPED));
    }
    Thread.ofPlatform().name("results").daemon().start(this::resultsLoop);
    Thread.ofPlatform().name("trim").daemon().start(this::trimLoop);
    pollLoop();
    stopped.await();
  }

  private Path credentialFile() {
    return config.dir().resolve("credential");
  }

  /**
   * A restarted agent (systemd, a crash) keeps its spot: the one-time secret is spent, so it uses
   * the credential it saved, if the server still accepts it.
   */
  private boolean resume() throws InterruptedException {
    Path file = credentialFile();
    if (!Files.exists(file)) {
      return false;
    }
    try {
      server.credential(Files.readString(file).strip());
      JsonNode answer = server.post("heartbeat", server.object(), Duration.ofSeconds(15));
      pool.limits(answer.path("min_workers").asInt(1), answer.path("max_workers").asInt(4));
      heartbeat = Duration.ofSeconds(Math.max(1, answer.path("heartbeat_seconds").asLong(5)));
      Log.info("resumed with the saved credential");
      return true;
    } catch (ServerClient.Revoked e) {
      Log.warn("the saved credential is no longer accepted; registering anew");
      server.credential(null);
      return false;
    } catch (IOException e) {
      Log.warn("cannot reach the server to resume (%s); trying to register", e.getMessage());
      server.credential(null);
      return false;
    }
  }

  /**
   * The cloud is taking this spot back: take no new work and tell the server (which launches the
   * replacement now). On the two-minute notice, calls still running shortly before the end are
   * handed back so that other spots run them.
   */
  void interrupted(String notice, java.time.Instant until) {
    Log.warn("%s notice%s", notice, until == null ? "" : " (the instance goes at " + until + ")");
    drain(notice + " notice");
    try {
      ObjectNode body = server.object();
      body.put("notice", notice);
      if (until != null) {
        body.put("time", until.toString());
      }
      server.post("interruption", body, Duration.ofSeconds(10));
    } catch (IOException | RuntimeException e) {
      Log.warn("could not report the %s notice: %s", notice, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (InterruptionWatch.INSTANCE_ACTION.equals(notice) && until != null) {
      java.time.Instant handBackAt = until.minusSeconds(20);
      Thread.ofPlatform()
          .name("hand-back")
          .daemon()
          .start(
              () -> {
                try {
                  while (java.time.Instant.now().isBefore(handBackAt) && !running.isEmpty()) {
                    Thread.sleep(200);
                  }
                  handBackAll("the instance is about to be interrupted");
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
    }
  }

  /** Stops the calls still running and gives them back to the queue for other spots. */
  private void handBackAll(String why) {
    List<UUID> unfinished = new ArrayList<>();
    running
        .values()
        .forEach(
            r -> {
              r.abandoned = true;
              unfinished.add(r.id);
              Worker w = r.worker;
              if (w != null) {
                w.kill();
              }
            });
    dropAbandoned();
    if (unfinished.isEmpty()) {
      return;
    }
    try {
      ObjectNode body = server.object();
      ArrayNode ids = body.putArray("execution_ids");
      unfinished.forEach(id -> ids.add(id.toString()));
      server.post("release", body, Duration.ofSeconds(10));
      Log.info("handed back %d unfinished call(s): %s", unfinished.size(), why);
    } catch (IOException | RuntimeException e) {
      Log.warn("could not hand back calls (their leases will expire instead): %s", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void register() throws InterruptedException {
    ObjectNode body = server.object();
    body.put("registration_secret", config.registrationSecret());
    body.put("ip", config.ip());
    body.put("hostname", config.hostname());
    body.put("agent_version", VERSION);
    body.put("python_version", envs.pythonVersion());
    Duration backoff = Duration.ofMillis(200);
    int refusals = 0;
    while (true) {
      try {
        JsonNode r = server.post("register", body, Duration.ofSeconds(30));
        server.credential(r.get("credential").asString());
        saveCredential(r.get("credential").asString());
        heartbeat = Duration.ofSeconds(Math.max(1, r.path("heartbeat_seconds").asLong(5)));
        pollWait =
            Duration.ofSeconds(
                Math.max(1, Math.min(20, r.path("max_poll_wait_seconds").asLong(20))));
        pool.limits(r.path("min_workers").asInt(1), r.path("max_workers").asInt(4));
        Log.info(
            "registered as spot %s (%d to %d workers)",
            r.get("spot_id").asString(),
            r.path("min_workers").asInt(1),
            r.path("max_workers").asInt(4));
        return;
      } catch (ServerClient.Revoked e) {
        // The server records the secret right after starting us: a refusal in the first
        // moments can be that race, so only repeated refusals are final.
        if (++refusals >= 8) {
          throw new IllegalStateException("registration refused: " + e.getMessage());
        }
        backoff = sleepWithBackoff(backoff);
      } catch (IOException e) {
        Log.warn("cannot register yet (%s); retrying in %d ms", e.getMessage(), backoff.toMillis());
        backoff = sleepWithBackoff(backoff);
      }
    }
  }

  private void saveCredential(String credential) {
    try {
      Path file = credentialFile();
      Files.deleteIfExists(file);
      Files.createFile(
          file,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, credential);
    } catch (IOException | UnsupportedOperationException e) {
      Log.warn("cannot save the credential (a restart will need a new spot): %s", e.getMessage());
    }
  }

  private void pollLoop() {
    Duration backoff = Duration.ofMillis(200);
    boolean useStream = config.stream();
    while (state == State.RUNNING) {
      try {
        if (useStream) {
          try {
            streamUntilClosed();
            backoff = Duration.ofMillis(200);
            continue;
          } catch (Stream.Unsupported e) {
            Log.warn("%s: using HTTP long polls instead", e.getMessage());
            useStream = false;
          }
        }
        pollOnce();
        backoff = Duration.ofMillis(200);
      } catch (ServerClient.Revoked e) {
        stop("the server no longer knows this spot: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop("interrupted");
      } catch (IOException | RuntimeException e) {
        Log.warn("%s failed: %s", useStream ? "the stream" : "claim", e.getMessage());
        try {
          backoff = sleepWithBackoff(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          stop("interrupted");
        }
      }
    }
  }

  /** One HTTP long poll for as many calls as there is room for. */
  private void pollOnce() throws IOException, InterruptedException {
    int free = waitForRoom();
    if (free <= 0) {
      return;
    }
    ObjectNode body = server.object();
    body.put("max", Math.min(free, MAX_AHEAD));
    body.put("wait_seconds", pollWait.toSeconds());
    JsonNode answer = server.post("claim", body, pollWait.plusSeconds(15));
    if (answer.path("drain").asBoolean(false)) {
      drain("the server asked this spot to drain");
    }
    accept(answer.path("calls"));
  }

  /**
   * Opens the stream and keeps the server's credit topped up to the room this agent has, until the
   * stream closes or the agent stops running; calls arrive meanwhile through {@link #accept}.
   */
  private void streamUntilClosed() throws IOException, InterruptedException {
    Stream s = Stream.open(server.base(), server.credential(), this::accept);
    synchronized (slots) {
      outstanding = 0;
    }
    stream = s;
    Log.info("calls and results go over the stream");
    try {
      while (state == State.RUNNING && s.isOpen()) {
        int grant;
        synchronized (slots) {
          grant = capacity() - running.size() - outstanding;
          if (grant < grantStep()) {
            slots.wait(1000);
            continue;
          }
          outstanding += grant;
        }
        s.credit(grant);
      }
    } finally {
      stream = null;
      s.close();
    }
    if (state == State.RUNNING) {
      throw new IOException("the stream ended: " + s.closed().getNow("?"));
    }
  }

  /**
   * Calls given to this agent (a poll's answer or a stream message) wait in arrival order; runners
   * start for them up to the number of worker slots.
   */
  private void accept(JsonNode given) {
    for (JsonNode call : given) {
      deployments.fill(call);
    }
    int start;
    synchronized (slots) {
      for (JsonNode call : given) {
        UUID id = UUID.fromString(call.get("execution_id").asString());
        Running r = new Running(id, call.get("attempt").asInt());
        running.put(id, r);
        if (outstanding > 0) {
          outstanding--;
        }
        waiting.add(new Taken(r, call));
      }
      start = runnersWanted();
    }
    startRunners(start);
  }

  /**
   * Under slots: how many runners to start now, counted as busy already. Runners that are running
   * calls take the waiting ones as they finish, so only free slots get new runners.
   */
  private int runnersWanted() {
    if (state == State.STOPPED) {
      return 0;
    }
    int start = Math.max(0, Math.min(waiting.size(), pool.maxWorkers() - busy));
    busy += start;
    return start;
  }

  private void startRunners(int n) {
    for (int i = 0; i < n; i++) {
      runners.execute(this::runWaiting);
    }
  }

  /**
   * A runner: runs waiting calls one after another on its slot, and ends when none is left (or when
   * the slots were cut below the runners). A call dropped while it waited (cancelled, handed back)
   * is skipped.
   */
  private void runWaiting() {
    while (true) {
      Taken t;
      synchronized (slots) {
        t = state == State.STOPPED || busy > pool.maxWorkers() ? null : waiting.poll();
        if (t == null) {
          busy--;
          slots.notifyAll();
          return;
        }
      }
      if (t.running().abandoned) {
        running.remove(t.running().id);
        continue;
      }
      try {
        run(t.running(), t.call());
      } catch (RuntimeException e) {
        Log.warn("a runner failed: %s", e);
      }
    }
  }

  /**
   * Drops waiting calls that were abandoned (cancelled, lost, handed back): no runner takes them.
   */
  private void dropAbandoned() {
    synchronized (slots) {
      waiting.removeIf(
          t -> {
            if (t.running().abandoned) {
              running.remove(t.running().id);
              return true;
            }
            return false;
          });
      slots.notifyAll();
    }
  }

  /**
   * How many calls this agent holds at most: one per worker, plus as many more as its workers get
   * through in the prefetch time at the recent run time (none until a call has been timed).
   */
  private int capacity() {
    int workers = pool.maxWorkers();
    double avg = averageRunMs;
    long prefetchMs = config.prefetch().toMillis();
    if (prefetchMs <= 0 || Double.isNaN(avg)) {
      return workers;
    }
    double ahead = prefetchMs * workers / Math.max(avg, 0.05);
    return workers + (int) Math.min(MAX_AHEAD, ahead);
  }

  private void timed(long nanos) {
    double ms = nanos / 1e6;
    double avg = averageRunMs;
    averageRunMs = Double.isNaN(avg) ? ms : avg * 0.9 + ms * 0.1;
  }

  /**
   * The least room worth asking for: a quarter of the capacity. A credit or a claim per finished
   * call would cost the server a message and this agent a wake-up each, for calls the server could
   * not send sooner anyway (it still holds the rest of the credit).
   */
  private int grantStep() {
    return Math.max(1, capacity() / 4);
  }

  private int waitForRoom() throws InterruptedException {
    synchronized (slots) {
      while (state == State.RUNNING && capacity() - running.size() < grantStep()) {
        slots.wait(1000);
      }
      return capacity() - running.size();
    }
  }

  private void run(Running r, JsonNode call) {
    String kind = call.path("kind").asString(RUN);
    JsonNode d = call.get("deployment");
    ObjectNode result = server.object();
    result.put("execution_id", r.id.toString());
    result.put("attempt", r.attempt);
    if (KnownDeployments.missing(d)) {
      finishUnrunnable(r, result, d);
      return;
    }
    int timeoutSeconds = d.path("timeout_seconds").asInt(60);
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    Environments.Env env = null;
    try {
      env =
          envs.ensure(
              d.path("requirements").asString(""), d.path("requirements_hash").asString(null));
      envs.acquire(env.key());
      Worker.Spec spec = spec(d, env);
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
          return;
        }
        java.time.Instant runStarted = java.time.Instant.now();
        long t0 = System.nanoTime();
        Worker.Answer a = w.call(call.get("args"), timeout);
        timed(System.nanoTime() - t0);
        result.put("started_at", runStarted.toString());
        result.put("finished_at", java.time.Instant.now().toString());
        pool.release(w);
        result.put("status", a.status());
        result.set("output", a.output());
        result.put("logs", a.logs());
      }
    } catch (Environments.BuildFailed e) {
      result.put("status", "Failure");
      result.put(
          "output", "Installing the requirements failed: " + e.getMessage() + "\n" + e.output);
    } catch (Worker.ImportFailed e) {
      result.put("status", "Failure");
      result.put("output", e.traceback);
      result.put("logs", e.logs);
    } catch (Worker.TimedOut e) {
      discardWorker(r);
      result.put("status", "Failure");
      result.put(
          "output",
          "Timed out after "
              + timeoutSeconds
              + " s: the function's process was stopped (the next call gets a new one).");
    } catch (Worker.Crashed e) {
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
      free(r);
    }
    if (!r.abandoned) {
      outbox.add(result);
    }
  }

  /** A call whose deployment this agent does not have: reported as failed, nothing run. */
  private void finishUnrunnable(Running r, ObjectNode result, JsonNode d) {
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
    free(r);
    outbox.add(result);
  }

  /** A call is done with its slot: room is granted again once a step of it is free. */
  private void free(Running r) {
    running.remove(r.id);
    synchronized (slots) {
      if (capacity() - running.size() - outstanding >= grantStep()) {
        slots.notifyAll();
      }
    }
  }

  private void discardWorker(Running r) {
    Worker w = r.worker;
    if (w != null) {
      pool.discard(w);
      r.worker = null;
    }
  }

  /** Function files are written once per deployment version, aside then renamed. */
  private Worker.Spec spec(JsonNode d, Environments.Env env) throws IOException {
    long id = d.path("id").asLong();
    int version = d.path("version").asInt();
    Path dir = config.dir().resolve("deployments").resolve(id + "-v" + version);
    Path function = dir.resolve("function.py");
    Path context = dir.resolve("context.txt");
    if (!written.contains(dir) && !Files.exists(context)) {
      Path aside = config.dir().resolve("deployments").resolve(".tmp-" + UUID.randomUUID());
      Files.createDirectories(aside);
      Files.writeString(aside.resolve("function.py"), d.path("code").asString(""));
      Files.writeString(aside.resolve("context.txt"), d.path("context").asString(""));
      if (sandbox.confined()) {
        // Readable by the spot's uid (its group), by no other, and written by the agent alone.
        for (Path p : List.of(aside, aside.resolve("function.py"), aside.resolve("context.txt"))) {
          SandboxSetup.chown(p, 0, sandbox.gid, false);
          SandboxSetup.mode(p, Files.isDirectory(p) ? "rwxr-x---" : "rw-r-----");
        }
      }
      try {
        Files.move(aside, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        Environments.deleteQuietly(aside);
        if (!Files.exists(context)) {
          throw e;
        }
      }
    }
    written.add(dir);
    return new Worker.Spec(id, version, env.python(), function, context, env.key());
  }

  private void heartbeatLoop() {
    while (state != State.STOPPED) {
      try {
        Thread.sleep(heartbeat);
        ObjectNode body = server.object();
        ArrayNode ids = body.putArray("running");
        running.keySet().forEach(id -> ids.add(id.toString()));
        body.put("environment_builds", envs.builds());
        JsonNode answer = server.post("heartbeat", body, Duration.ofSeconds(15));
        pool.limits(answer.path("min_workers").asInt(1), answer.path("max_workers").asInt(4));
        int start;
        synchronized (slots) {
          start = runnersWanted();
          slots.notifyAll();
        }
        startRunners(start);
        List<String> stop = new ArrayList<>();
        answer.path("cancel").forEach(n -> stop.add(n.asString()));
        answer.path("lost").forEach(n -> stop.add(n.asString()));
        for (String id : stop) {
          Running r = running.get(UUID.fromString(id));
          if (r != null) {
            r.abandoned = true;
            Worker w = r.worker;
            if (w != null) {
              w.kill();
            }
            Log.info("stopped call %s (cancelled or no longer ours)", id);
          }
        }
        if (!stop.isEmpty()) {
          dropAbandoned();
        }
        if (answer.path("drain").asBoolean(false)) {
          drain("the server asked this spot to drain");
        }
      } catch (ServerClient.Revoked e) {
        stop("the server no longer knows this spot: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        Log.warn("heartbeat failed: %s", e.getMessage());
      }
    }
  }

  private void resultsLoop() {
    Duration backoff = Duration.ofMillis(200);
    List<ObjectNode> batch = new ArrayList<>();
    while (state != State.STOPPED || !outbox.isEmpty() || !batch.isEmpty()) {
      try {
        if (batch.isEmpty()) {
          ObjectNode first = outbox.poll(1, TimeUnit.SECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
        }
        outbox.drainTo(batch, 255);
        ObjectNode body = server.object();
        ArrayNode results = body.putArray("results");
        batch.forEach(results::add);
        if (!sentOverStream(results)) {
          server.post("results", body, Duration.ofSeconds(30));
        }
        batch.clear();
        backoff = Duration.ofMillis(200);
      } catch (ServerClient.Revoked e) {
        batch.clear();
        outbox.clear();
        stop("the server no longer knows this spot: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        Log.warn("sending %d result(s) failed: %s", batch.size(), e.getMessage());
        try {
          backoff = sleepWithBackoff(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Sends results over the stream if one is open; false if they must go by HTTP. */
  private boolean sentOverStream(ArrayNode results) throws InterruptedException {
    Stream s = stream;
    if (s == null || !s.isOpen()) {
      return false;
    }
    try {
      s.results(results, Duration.ofSeconds(30));
      return true;
    } catch (IOException e) {
      Log.warn("results over the stream failed (%s); sending them by HTTP", e.getMessage());
      return false;
    }
  }

  private void trimLoop() {
    while (state != State.STOPPED) {
      try {
        Thread.sleep(Duration.ofSeconds(5));
        pool.trim();
        // Processes a function detached from its worker (a double fork) do not outlive it long.
        sandbox.killStrays();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void drain(String why) {
    if (state == State.RUNNING) {
      state = State.DRAINING;
      Log.info("draining: %s", why);
      synchronized (slots) {
        slots.notifyAll();
      }
    }
  }

  private void stop(String why) {
    if (state != State.STOPPED) {
      Log.info("stopping: %s", why);
      state = State.STOPPED;
      running
          .values()
          .forEach(
              r -> {
                r.abandoned = true;
                Worker w = r.worker;
                if (w != null) {
                  w.kill();
                }
              });
      pool.close();
      synchronized (slots) {
        waiting.clear();
        slots.notifyAll();
      }
      stopped.countDown();
    }
  }

  /**
   * Graceful shutdown (SIGTERM): stop claiming, let running calls finish for the grace period, then
   * hand back the rest so that other spots run them, and send the last results.
   */
  void shutdown() {
    if (state == State.STOPPED) {
      return;
    }
    drain("shutting down");
    long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
    while (!running.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    try {
      long flushUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (!outbox.isEmpty() && System.nanoTime() < flushUntil) {
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    handBackAll("shutting down");
    stop("shut down");
  }

  private static Duration sleepWithBackoff(Duration backoff) throws InterruptedException {
    long ms = backoff.toMillis();
    Thread.sleep(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
    return Duration.ofMillis(Math.min(10_000, ms * 2));
  }
}
