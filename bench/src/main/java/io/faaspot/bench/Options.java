package io.faaspot.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The command line, parsed: {@code --name value} or {@code --name=value}, and flags. */
record Options(
    String scenario,
    String url,
    String token,
    String deployment,
    int warmup,
    int requests,
    int clients,
    Duration duration,
    int count,
    int chunk,
    Duration timeout,
    String requirements,
    boolean freshEnv,
    boolean failOnErrors,
    Path out,
    Path histOut) {

  static final List<String> SCENARIOS =
      List.of(
          "sync-latency", "sync-load", "async", "bulk", "http-floor", "http-floor-load", "cold");

  private static final Set<String> FLAGS = Set.of("fail-on-errors", "fresh-env");

  static final String USAGE =
      """
      usage: java -jar faaspot-bench.jar --scenario S --url URL [options]
        --scenario     one of %s
        --url          the server's base URL (for http-floor: the floor server's)
        --token        an account's token (Authorization: Token T)
        --deployment   the echo deployment to call (echo)
        --warmup       warm-up calls before measuring (200)
        --requests     measured sequential calls, sync-latency and http-floor (2000)
        --clients      concurrent clients, *-load and async submits (8)
        --seconds      length of a *-load run (20)
        --count        executions for async and bulk (20000)
        --chunk        executions per bulk_rpc request (1000)
        --timeout      seconds to wait for all executions to succeed (600)
        --requirements the cold scenario's requirements (six)
        --fresh-env    cold: make the requirements unique to this run so no spot has them built
        --fail-on-errors  exit 1 if any call failed
        --out          the result as one JSON object to this file
        --hist-out     the latency distribution as CSV (percentile,value_ms) to this file
      """
          .formatted(String.join(", ", SCENARIOS));

  /** Parses the arguments; throws {@link IllegalArgumentException} with a message on bad input. */
  static Options parse(String... args) {
    var o = OptionReader.of(args, FLAGS);
    Options options =
        new Options(
            o.string("scenario", null),
            stripSlash(o.string("url", null)),
            o.string("token", null),
            o.string("deployment", "echo"),
            o.count("warmup", 200, 0),
            o.count("requests", 2000, 1),
            o.count("clients", 8, 1),
            Duration.ofSeconds(o.count("seconds", 20, 1)),
            o.count("count", 20000, 1),
            o.count("chunk", 1000, 1),
            Duration.ofSeconds(o.count("timeout", 600, 1)),
            o.string("requirements", "six"),
            o.flag("fresh-env"),
            o.flag("fail-on-errors"),
            o.path("out"),
            o.path("hist-out"));
    o.rejectUnknown();
    if (options.scenario == null || !SCENARIOS.contains(options.scenario)) {
      throw new IllegalArgumentException("--scenario must be one of " + SCENARIOS);
    }
    if (options.url == null || !options.url.matches("https?://.+")) {
      throw new IllegalArgumentException("--url must be an http:// or https:// URL");
    }
    return options;
  }

  private static String stripSlash(String url) {
    if (url == null) {
      return null;
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
