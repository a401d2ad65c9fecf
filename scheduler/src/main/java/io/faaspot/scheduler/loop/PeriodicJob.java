package io.faaspot.scheduler.loop;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one shape of every background loop: a named thread runs a plain method (which a test can call
 * directly) at an interval with jitter, never overlapping itself; it catches and logs every failure
 * and backs off, keeps the interrupt flag, can be woken early, and stops when asked.
 */
public final class PeriodicJob implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeriodicJob.class);

  private final String name;
  private final Duration interval;
  private final Runnable body;
  private final Thread thread;
  private volatile boolean running = true;

  public PeriodicJob(String name, Duration interval, Runnable body) {
    this.name = name;
    this.interval = interval;
    this.body = body;
    this.thread = Thread.ofPlatform().name("faaspot-" + name).daemon().unstarted(this::loop);
  }

  public PeriodicJob start() {
    thread.start();
    return this;
  }

  /** Whether {@link #start} was called: its thread runs, or ran and ended. */
  public boolean started() {
    return thread.getState() != Thread.State.NEW;
  }

  /** Runs the body as soon as possible instead of at the next tick. */
  public void wakeUp() {
    LockSupport.unpark(thread);
  }

  private void loop() {
    int failures = 0;
    while (running && !Thread.currentThread().isInterrupted()) {
      try {
        body.run();
        failures = 0;
      } catch (RuntimeException e) {
        failures++;
        log.warn("{} failed ({} in a row)", name, failures, e);
      }
      long base = interval.toMillis() << Math.min(failures, 5);
      long pause = Math.min(base, Math.max(interval.toMillis(), 60_000));
      // +-20% jitter keeps several nodes' loops from running in lockstep.
      long jitter = ThreadLocalRandom.current().nextLong(-pause / 5, pause / 5 + 1);
      LockSupport.parkNanos(this, Duration.ofMillis(Math.max(1, pause + jitter)).toNanos());
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
