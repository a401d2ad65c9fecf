package io.faaspot.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiConsumer;

/**
 * Polls EC2 instance metadata (IMDSv2: a session token, then the two notices) for the spot
 * interruption notice ({@code spot/instance-action}, two minutes ahead) and the rebalance
 * recommendation (earlier, maybe). Either is reported once to {@code onNotice} with the kind and,
 * for an interruption, the time the instance goes away.
 */
final class InterruptionWatch {
  static final String INSTANCE_ACTION = "instance-action";
  static final String REBALANCE = "rebalance";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;
  private final Duration interval;
  private final BiConsumer<String, Instant> onNotice;
  private String token;
  private Instant tokenUntil = Instant.EPOCH;
  private boolean sawAction;
  private boolean sawRebalance;

  InterruptionWatch(String base, Duration interval, BiConsumer<String, Instant> onNotice) {
    this.base = base;
    this.interval = interval;
    this.onNotice = onNotice;
  }

  void run(java.util.function.BooleanSupplier keepGoing) {
    while (keepGoing.getAsBoolean() && !sawAction) {
      try {
        pollOnce();
      } catch (IOException e) {
        // Not on EC2, or metadata briefly unreachable: look again next time.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  void pollOnce() throws IOException, InterruptedException {
    if (token == null || Instant.now().isAfter(tokenUntil)) {
      HttpResponse<String> t =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/latest/api/token"))
                  .timeout(Duration.ofSeconds(2))
                  .header("X-aws-ec2-metadata-token-ttl-seconds", "21600")
                  .PUT(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (t.statusCode() != 200) {
        throw new IOException("no metadata token: " + t.statusCode());
      }
      token = t.body().strip();
      tokenUntil = Instant.now().plus(Duration.ofHours(5));
    }
    if (!sawAction) {
      HttpResponse<String> a = get("/latest/meta-data/spot/instance-action");
      if (a.statusCode() == 200) {
        sawAction = true;
        onNotice.accept(INSTANCE_ACTION, time(a.body(), "time"));
        return;
      }
    }
    if (!sawRebalance) {
      HttpResponse<String> r = get("/latest/meta-data/events/recommendations/rebalance");
      if (r.statusCode() == 200) {
        sawRebalance = true;
        onNotice.accept(REBALANCE, null);
      }
    }
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(2))
                .header("X-aws-ec2-metadata-token", token)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 401) {
      token = null;
    }
    return r;
  }

  /** The notice's time, or two minutes from now when it has none we can read. */
  static Instant time(String json, String field) {
    try {
      String text = ServerClient.JSON.readTree(json).path(field).asString(null);
      if (text != null) {
        return Instant.parse(text);
      }
    } catch (RuntimeException e) {
      // Fall through to the documented two minutes.
    }
    return Instant.now().plus(Duration.ofMinutes(2));
  }
}
