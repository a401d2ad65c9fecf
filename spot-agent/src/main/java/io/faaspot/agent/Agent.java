package io.faaspot.agent;

import io.faaspot.agent.Lifecycle.State;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agent of one spot: it joins the server ({@link Registration}), then runs until stopped (its
 * {@link Lifecycle}). Four loops, each catching everything, backing off with jitter and keeping the
 * interrupt flag: the {@link Transport} takes calls into the {@link Intake}, whose runners run them
 * ({@link CallRunner}); the {@link Heartbeat} extends leases and applies cancels and drain
 * requests; {@link Results} sends finished calls in batches; and the {@link TrimLoop} retires idle
 * workers. This class wires them and carries out the stops: an interruption notice, a graceful
 * shutdown (both end with a {@link HandBack}).
 */
final class Agent {
  private final AgentConfig config;
  private final ServerClient server;
  private final Sandbox sandbox;
  private final WorkerPool pool;
  private final Lifecycle lifecycle = new Lifecycle();
  private final Registration registration;
  private final HeldCalls held = new HeldCalls();
  private final Intake intake;
  private final HandBack handBack;
  private final Transport transport;
  private final Results results;
  private final Heartbeat heartbeat;

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
    Environments envs =
        new Environments(
            config.dir().resolve("envs"),
            config.dir().resolve("requirements"),
            config.python(),
            config.envBudgetBytes(),
            config.buildTimeout(),
            sandbox);
    this.pool = new WorkerPool(bootstrap, sandbox, config.workerMemoryMb());
    this.registration = new Registration(config, server, pool, envs);
    RunTimes runTimes = new RunTimes();
    CallRunner runner =
        new CallRunner(server, envs, pool, new FunctionFiles(config.dir(), sandbox), runTimes);
    // The stream the transport has open, if any: results go over it too.
    AtomicReference<Stream> openStream = new AtomicReference<>();
    this.results = new Results(server, lifecycle, openStream::get);
    this.intake =
        new Intake(lifecycle, pool, config.prefetch(), runTimes, held, runner, results::add);
    this.handBack = new HandBack(server, intake, held);
    this.transport = new Transport(server, lifecycle, intake, config.stream(), openStream);
    this.heartbeat = new Heartbeat(server, lifecycle, intake, held, envs, pool);
    lifecycle.onDrain(intake::wake);
    lifecycle.onStop(
        () -> {
          held.abandonAll();
          pool.close();
          intake.stopped();
        });
  }

  State state() {
    return lifecycle.state();
  }

  /** Registers (or resumes with the credential of an earlier run), then runs until stopped. */
  void run() throws InterruptedException {
    Terms terms = registration.join();
    heartbeat.every(terms.heartbeat());
    transport.pollWait(terms.pollWait());
    if (!lifecycle.moveTo(State.RUNNING)) {
      return; // Stopped while it registered (a shutdown then).
    }
    Thread.ofPlatform().name("heartbeat").daemon().start(heartbeat::loop);
    if (config.imdsUrl() != null) {
      InterruptionWatch watch =
          new InterruptionWatch(config.imdsUrl(), config.imdsInterval(), this::interrupted);
      Thread.ofPlatform()
          .name("imds")
          .daemon()
          .start(() -> watch.run(() -> !lifecycle.is(State.STOPPED)));
    }
    Thread.ofPlatform().name("results").daemon().start(results::loop);
    Thread.ofPlatform().name("trim").daemon().start(new TrimLoop(lifecycle, pool, sandbox)::loop);
    transport.loop();
    lifecycle.awaitStopped();
  }

  /**
   * The cloud is taking this spot back: take no new work and tell the server (which launches the
   * replacement now). On the two-minute notice, calls still running shortly before the end are
   * handed back so that other spots run them.
   */
  void interrupted(String notice, Instant until) {
    Log.warn("%s notice%s", notice, until == null ? "" : " (the instance goes at " + until + ")");
    lifecycle.drain(notice + " notice");
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
      handBack.shortlyBefore(until);
    }
  }

  /**
   * Graceful shutdown (SIGTERM): stop claiming, let running calls finish for the grace period, then
   * hand back the rest so that other spots run them, and send the last results.
   */
  void shutdown() {
    if (lifecycle.is(State.STOPPED)) {
      return;
    }
    lifecycle.drain("shutting down");
    long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
    while (!held.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    try {
      results.awaitSent(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    handBack.all("shutting down");
    lifecycle.stop("shut down");
  }
}
