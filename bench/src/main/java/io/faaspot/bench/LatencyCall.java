package io.faaspot.bench;

/**
 * One timed call of the latency scenarios, with argument {@code i}: answers whether it succeeded,
 * adding to {@code errors} why not. Warm-up calls are given negative arguments.
 */
interface LatencyCall {
  boolean run(int i, Errors errors);

  /** The sync call of an echo deployment, checked to answer the argument it was given. */
  static LatencyCall sync(Api api, String deployment) {
    String prefix = "/api/sync/deployments/" + deployment + "/rpc/?n=";
    return (i, errors) -> {
      try {
        Response r = api.get(prefix + i);
        if (r.ok() && r.body().contains("\"" + i + "\"")) {
          return true;
        }
        errors.add("sync call " + i + ": " + r);
      } catch (Exception e) {
        errors.add("sync call " + i, e);
      }
      return false;
    };
  }

  /** A GET of the floor server's root; any 200 is a success. */
  static LatencyCall floor(Api api) {
    return (i, errors) -> {
      try {
        Response r = api.get("/?n=" + i);
        if (r.ok()) {
          return true;
        }
        errors.add("floor call " + i + ": " + r);
      } catch (Exception e) {
        errors.add("floor call " + i, e);
      }
      return false;
    };
  }
}
