package io.faaspot.api.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.web.PercentCoding;

/** Deployments and runs as the old client makes them, for tests that need some work to do. */
public final class TestFunctions {
  public static final String HELLO =
      "def main(args, context):\n    return 'Hello ' + args.get('name', '')\n";

  private TestFunctions() {}

  /** The create body the client sends: every field URL-quoted, plus {@code extra} fields. */
  public static String createBody(
      String name, String code, String requirements, String context, String extra) {
    return "{\"name\": \""
        + name
        + "\", \"code\": \""
        + PercentCoding.quote(code)
        + "\", \"requirements\": \""
        + PercentCoding.quote(requirements)
        + "\", \"context\": \""
        + PercentCoding.quote(context)
        + "\""
        + extra
        + "}";
  }

  /** Creates a hello-world deployment of that name. */
  public static void deploy(Http.User user, String name) {
    var created = user.put("/api/deployments/", createBody(name, HELLO, "", "", ""));
    assertThat(created.status()).as("create %s: %s", name, created.body()).isEqualTo(200);
  }

  /** Runs the deployment asynchronously with a JSON args body; answers the execution id. */
  public static String runAsync(Http.User user, String name, String args) {
    var run = user.post("/api/deployments/" + name + "/rpc/", args);
    assertThat(run.status()).as("run %s: %s", name, run.body()).isEqualTo(200);
    return run.json().asString();
  }

  /** The execution's status as the user sees it. */
  public static String status(Http.User user, String id) {
    var r = user.get("/api/executions/" + id);
    assertThat(r.status()).as("get %s: %s", id, r.body()).isEqualTo(200);
    return r.json().get("status").asString();
  }
}
