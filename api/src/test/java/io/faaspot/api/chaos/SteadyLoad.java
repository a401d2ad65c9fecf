package io.faaspot.api.chaos;

import io.faaspot.api.testing.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * A steady load of the three kinds of calls while a fault happens: one sync caller, one async
 * caller and one bulk caller, each in a loop. It keeps every execution id a server handed out (the
 * promise under test: none of them may be lost), and sorts every answer a sync caller got: its
 * result, an id to poll, or a clear error. Anything else is "unclear" and fails the suite.
 */
final class SteadyLoad implements AutoCloseable {
  enum SyncAnswer {
    /** 200 with the function's own result. */
    RESULT,
    /** 504 {@code still_running} with the execution id to poll. */
    ID_TO_POLL,
    /** 503 with {@code Retry-After}: the server is up, its database is away. */
    UNAVAILABLE,
    /** The connection was refused or cut: the server is down. */
    DOWN,
    /** Anything else: a 500, a body that says nothing. */
    UNCLEAR
  }

  private final Supplier<Http.User> caller;
  private final String deployment;
  private final ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
  private final Map<SyncAnswer, AtomicInteger> answers = new EnumMap<>(SyncAnswer.class);
  private final List<String> unclear = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger refusedSubmissions = new AtomicInteger();
  private final ConcurrentLinkedQueue<SyncCall> syncCalls = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  /**
   * @param caller who calls, asked again for each call (the two-server phase alternates servers)
   */
  SteadyLoad(Supplier<Http.User> caller, String deployment) {
    this.caller = caller;
    this.deployment = deployment;
    for (SyncAnswer a : SyncAnswer.values()) {
      answers.put(a, new AtomicInteger());
    }
    threads.add(Thread.ofVirtual().name("chaos-sync").start(this::syncLoop));
    threads.add(Thread.ofVirtual().name("chaos-async").start(this::asyncLoop));
    threads.add(Thread.ofVirtual().name("chaos-bulk").start(this::bulkLoop));
  }

  private void syncLoop() {
    int n = 0;
    while (running) {
      long start = System.nanoTime();
      SyncAnswer a = syncCall(n++);
      syncCalls.add(new SyncCall(start, System.nanoTime(), a));
      answers.get(a).incrementAndGet();
      if (a != SyncAnswer.RESULT) {
        Chaos.pause(Duration.ofMillis(100));
      }
    }
  }

  /** One sync call: when it was made and answered ({@link System#nanoTime()}), and how. */
  record SyncCall(long start, long end, SyncAnswer answer) {}

  private SyncAnswer syncCall(int n) {
    Http.Response r;
    try {
      r = caller.get().get("/api/sync/deployments/" + deployment + "/rpc/?ms=20&n=" + n);
    } catch (RuntimeException e) {
      return SyncAnswer.DOWN;
    }
    if (r.status() == 200 && r.json().path("n").asString("").equals(Integer.toString(n))) {
      return SyncAnswer.RESULT;
    }
    if (r.status() == 504 && r.body().contains("still_running")) {
      ids.add(r.json().path("execution_id").asString());
      return SyncAnswer.ID_TO_POLL;
    }
    if (r.status() == 503 && r.header("Retry-After") != null && r.body().contains("error_code")) {
      return SyncAnswer.UNAVAILABLE;
    }
    unclear.add(r.status() + " " + r.body());
    return SyncAnswer.UNCLEAR;
  }

  private void asyncLoop() {
    int n = 0;
    while (running) {
      submit(
          "POST", "/api/deployments/" + deployment + "/rpc/", "{\"ms\": 50, \"n\": " + n++ + "}");
      Chaos.pause(Duration.ofMillis(40));
    }
  }

  private void bulkLoop() {
    int n = 0;
    while (running) {
      StringBuilder body = new StringBuilder("[");
      for (int i = 0; i < 20; i++) {
        body.append(i == 0 ? "" : ", ").append("{\"ms\": 10, \"b\": ").append(n++).append('}');
      }
      submit("POST", "/api/deployments/" + deployment + "/bulk_rpc/", body.append(']').toString());
      Chaos.pause(Duration.ofMillis(1000));
    }
  }

  /** An async or bulk submission: the ids it hands out are kept; a refusal only counted. */
  private void submit(String method, String path, String body) {
    Http.Response r;
    try {
      r = caller.get().http().send(method, path, caller.get().auth(), body);
    } catch (RuntimeException e) {
      refusedSubmissions.incrementAndGet();
      Chaos.pause(Duration.ofMillis(100));
      return;
    }
    if (r.status() != 200) {
      if (r.status() != 503) {
        unclear.add(path + ": " + r.status() + " " + r.body());
      }
      refusedSubmissions.incrementAndGet();
      Chaos.pause(Duration.ofMillis(100));
      return;
    }
    JsonNode json = r.json();
    if (json.isArray()) {
      json.forEach(id -> ids.add(id.asString()));
    } else {
      ids.add(json.asString());
    }
  }

  /**
   * How long sync callers went without a result because of a fault at {@code faultAt}: from the
   * fault until the answer of the first call that got its result after the last one that did not
   * (or, when every call got its result, the longest call in flight at the fault or after it).
   */
  Duration callersGap(long faultAt) {
    List<SyncCall> after = syncCalls.stream().filter(c -> c.end() >= faultAt).toList();
    long lastBad =
        after.stream()
            .filter(c -> c.answer() != SyncAnswer.RESULT)
            .mapToLong(SyncCall::end)
            .max()
            .orElse(-1);
    if (lastBad < 0) {
      return Duration.ofNanos(
          after.stream().mapToLong(c -> c.end() - Math.max(c.start(), faultAt)).max().orElse(0));
    }
    return after.stream()
        .filter(c -> c.answer() == SyncAnswer.RESULT && c.start() >= lastBad)
        .mapToLong(c -> c.end() - faultAt)
        .min()
        .stream()
        .mapToObj(Duration::ofNanos)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no sync call got its result after the fault"));
  }

  List<String> ids() {
    return List.copyOf(ids);
  }

  Map<SyncAnswer, Integer> answers() {
    Map<SyncAnswer, Integer> copy = new EnumMap<>(SyncAnswer.class);
    answers.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  List<String> unclear() {
    return List.copyOf(unclear);
  }

  int refusedSubmissions() {
    return refusedSubmissions.get();
  }

  @Override
  public void close() {
    running = false;
    for (Thread t : threads) {
      try {
        t.join(Duration.ofSeconds(90));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
