package io.faaspot.bench;

/**
 * The load generator: runs one scenario against a running server (or the HTTP floor), prints a
 * one-line summary and writes the result as JSON and the latency distribution as CSV.
 *
 * <p>Exit codes: 0 done; 1 calls failed and {@code --fail-on-errors} was given; 2 bad usage; 3 the
 * scenario could not run.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    if (java.util.Arrays.asList(args).contains("--help")) {
      System.out.print(Options.USAGE);
      return 0;
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.print(Options.USAGE);
      return 2;
    }
    Result result;
    try {
      result = scenario(options);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 3;
    } catch (RuntimeException e) {
      System.err.println("bench: " + options.scenario() + " could not run: " + e);
      return 3;
    }
    result.put("url", options.url());
    System.out.println(result.summary());
    if (options.out() != null) {
      result.writeJson(options.out());
    }
    if (options.histOut() != null) {
      result.writeHistogram(options.histOut());
    }
    return options.failOnErrors() && result.errors() > 0 ? 1 : 0;
  }

  static Result scenario(Options o) throws InterruptedException {
    Api api = new Api(o.url(), o.token());
    return switch (o.scenario()) {
      case "sync-latency" ->
          withDeployment(
              LatencyScenarios.sequential(
                  o.scenario(), LatencyCall.sync(api, o.deployment()), o.warmup(), o.requests()),
              api,
              o);
      case "sync-load" ->
          withDeployment(
              LatencyScenarios.load(
                  o.scenario(),
                  LatencyCall.sync(api, o.deployment()),
                  o.warmup(),
                  o.clients(),
                  o.duration()),
              api,
              o);
      case "http-floor" ->
          LatencyScenarios.sequential(
              o.scenario(), LatencyCall.floor(api), o.warmup(), o.requests());
      case "http-floor-load" ->
          LatencyScenarios.load(
              o.scenario(), LatencyCall.floor(api), o.warmup(), o.clients(), o.duration());
      case "async" ->
          AsyncScenarios.async(api, o.deployment(), o.count(), o.clients(), o.timeout())
              .put("deployment", o.deployment());
      case "bulk" ->
          AsyncScenarios.bulk(api, o.deployment(), o.count(), o.chunk(), o.timeout())
              .put("deployment", o.deployment());
      case "cold" -> new ColdScenario(api, o.timeout()).run(o.requirements(), o.freshEnv());
      default -> throw new IllegalArgumentException("unknown scenario " + o.scenario());
    };
  }

  /** Adds the deployment and where its recent calls' time went, by the server's own timings. */
  private static Result withDeployment(Result result, Api api, Options o) {
    result.put("deployment", o.deployment());
    RecentStages.report(api, o.deployment(), result);
    return result;
  }
}
