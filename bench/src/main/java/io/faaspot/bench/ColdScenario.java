package io.faaspot.bench;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The cold path: create a deployment with requirements, then call it synchronously until it first
 * answers; then the same for a second deployment with the same requirements (whose environment the
 * spot already has). Both deployments are deleted afterwards.
 */
final class ColdScenario {
  private static final long RETRY_MILLIS = 20;

  private final Api api;
  private final Duration timeout;
  private final Errors errors = new Errors();

  ColdScenario(Api api, Duration timeout) {
    this.api = api;
    this.timeout = timeout;
  }

  /** Echo code importing the first requirement's module. */
  static String code(String requirements) {
    return "import " + module(requirements) + "\ndef main(args, context):\n    return args\n";
  }

  /** The import name of the first requirement: its project name, lower case, '-' as '_'. */
  static String module(String requirements) {
    String first = requirements.strip().lines().findFirst().orElse("").strip();
    String name = first.split("[<>=!~\\[;@ ]", 2)[0];
    return name.toLowerCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  /**
   * The same requirements, made distinct from any a spot has built, by excluding a version of the
   * first requirement that does not exist (pip installs exactly the same).
   */
  static String fresh(String requirements, String suffix) {
    String[] lines = requirements.strip().split("\n", 2);
    String first = lines[0].strip();
    long version = Long.parseLong(suffix, 16);
    String exclusion = "!=0.0." + version;
    first += first.matches(".*[<>=!~].*") ? "," + exclusion : exclusion;
    return lines.length > 1 ? first + "\n" + lines[1] : first;
  }

  Result run(String requirements, boolean freshEnv) throws InterruptedException {
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    String suffix = HexFormat.of().formatHex(random);
    String reqs = freshEnv ? fresh(requirements, suffix) : requirements;
    String first = "bench-cold-" + suffix + "-1";
    String second = "bench-cold-" + suffix + "-2";
    Map<String, Object> firstTimes = createAndCall(first, reqs);
    Map<String, Object> secondTimes =
        firstTimes.get("result_ms") == null ? Map.of() : createAndCall(second, reqs);
    delete(first);
    delete(second);
    return new Result("cold")
        .put("requests", 2L)
        .put("errors", errors.count())
        .put("first_ms", firstTimes.get("result_ms"))
        .put("second_ms", secondTimes.get("result_ms"))
        .put("first_create_ms", firstTimes.get("create_ms"))
        .put("second_create_ms", secondTimes.get("create_ms"))
        .put("requirements", reqs)
        .put("deployments", java.util.List.of(first, second));
  }

  /** Times from the create request to its answer and to the first result (null: none). */
  private Map<String, Object> createAndCall(String name, String requirements)
      throws InterruptedException {
    Map<String, Object> times = new LinkedHashMap<>();
    times.put("create_ms", null);
    times.put("result_ms", null);
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    try {
      Map<String, String> body = new LinkedHashMap<>();
      body.put("name", name);
      body.put("code", Quoting.quote(code(requirements)));
      body.put("requirements", Quoting.quote(requirements));
      body.put("context", Quoting.quote(""));
      Response created = api.send("PUT", "/api/deployments/", body);
      if (!created.ok()) {
        errors.add("create " + name + ": " + created);
        return times;
      }
      times.put("create_ms", ms(System.nanoTime() - start));
      while (System.nanoTime() < deadline) {
        Response r = api.get("/api/sync/deployments/" + name + "/rpc/?n=cold");
        if (r.ok()) {
          if (r.body().contains("\"cold\"")) {
            times.put("result_ms", ms(System.nanoTime() - start));
          } else {
            errors.add(name + " answered " + r);
          }
          return times;
        }
        if (r.status() == 504 && r.json().path("execution_id").isString()) {
          if (awaitExecution(r.json().path("execution_id").asString(), name, deadline)) {
            times.put("result_ms", ms(System.nanoTime() - start));
          }
          return times;
        }
        if (r.status() == 500 || r.status() == 400 || r.status() == 401 || r.status() == 403) {
          errors.add(name + " failed: " + r);
          return times;
        }
        Thread.sleep(RETRY_MILLIS);
      }
      errors.add(name + ": no result within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      errors.add(name, e);
    }
    return times;
  }

  private boolean awaitExecution(String id, String name, long deadline) throws Exception {
    while (System.nanoTime() < deadline) {
      Response r = api.get("/api/executions/" + id);
      JsonNode e = r.ok() ? r.json() : null;
      String status = e == null ? "" : e.path("status").asString("");
      if (status.equals("Success")) {
        return true;
      }
      if (status.equals("Failure") || status.equals("Cancelled")) {
        errors.add(name + " call " + status + ": " + e.path("output"));
        return false;
      }
      Thread.sleep(RETRY_MILLIS);
    }
    errors.add(name + ": no result within " + timeout.toSeconds() + " s");
    return false;
  }

  private void delete(String name) {
    try {
      Response r = api.send("DELETE", "/api/deployments/" + name, "");
      if (!r.ok() && r.status() != 404) {
        System.err.println("delete " + name + ": " + r);
      }
    } catch (Exception e) {
      System.err.println("delete " + name + ": " + e);
    }
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
