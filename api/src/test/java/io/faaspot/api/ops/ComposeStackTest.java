package io.faaspot.api.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.TestFunctions;
import io.faaspot.scheduler.testing.TestPostgres;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operators' path: {@code docker-compose.yml} at the root, images built from the sources,
 * PostgreSQL and the server with local spots, HTTPS with the self-signed certificate of the first
 * start. An account, a hello deployment, a spot added with {@code --wait}, a sync run over HTTPS
 * with a client that verifies nothing (as the old {@code fas} client by default). Needs a Docker
 * engine and {@code docker compose}; skipped (reported as such) where there is none.
 */
@EnabledIf(
    value = "dockerComposeAvailable",
    disabledReason =
        "no Docker engine (or no docker compose) here: the compose stack test is skipped")
class ComposeStackTest {
  static final String ADMIN_TOKEN = "fst_compose-test-" + UUID.randomUUID();
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final Duration SPOT_WAIT = Duration.ofMinutes(3);

  static ComposeContainer stack;
  static String base;
  static HttpClient client;

  static boolean dockerComposeAvailable() {
    if (!TestPostgres.dockerAvailable()) {
      return false;
    }
    try {
      Process p =
          new ProcessBuilder("docker", "compose", "version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @BeforeAll
  static void upTheStack() throws Exception {
    stack =
        new ComposeContainer(composeFile())
            .withBuild(true)
            .withEnv("FAASPOT_ADMIN_TOKEN", ADMIN_TOKEN)
            // Not 443: a free port, so that the test runs beside anything else.
            .withEnv("FAASPOT_HTTPS_PORT", Integer.toString(freePort()))
            // The stack as the compose file defines it, whatever this shell sets.
            .withEnv("FAASPOT_TLS", "self-signed")
            .withEnv("FAASPOT_SPOTS_PROVIDER", "local")
            .withEnv("FAASPOT_PUBLIC_URL", "")
            .withEnv("SPRING_DATASOURCE_URL", "")
            .withEnv("SPRING_DATASOURCE_PASSWORD", "")
            // A package index the containers can reach; a file: one of this machine cannot be.
            .withEnv("PIP_INDEX_URL", reachableFromContainers(System.getenv("PIP_INDEX_URL")))
            .withExposedService(
                "server",
                8443,
                Wait.forHttps("/actuator/health/readiness")
                    .allowInsecure()
                    .forStatusCode(200)
                    .withStartupTimeout(Duration.ofMinutes(15)));
    stack.start();
    base =
        "https://"
            + stack.getServiceHost("server", 8443)
            + ":"
            + stack.getServicePort("server", 8443);
    client =
        HttpClient.newBuilder()
            .sslContext(trustingEverything())
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  @AfterAll
  static void downTheStack() {
    if (client != null) {
      client.close();
    }
    if (stack != null) {
      stack.stop();
    }
  }

  @Test
  void aFunctionRunsThroughTheComposeStackOverHttpsOnALocalSpot() throws Exception {
    String user = newAccountToken("compose");
    JsonNode created =
        send(
            "PUT",
            "/api/deployments/",
            user,
            TestFunctions.createBody("hello", TestFunctions.HELLO, "", "", ""));
    awaitSuccess(user, created.asString());

    JsonNode spotTask = awaitSuccess(user, send("PUT", "/api/spots/", user, null).asString());
    JsonNode answer = send("GET", "/api/sync/deployments/hello/rpc/?name=x", user, null);

    assertThat(spotTask.get("output").get("ip").asString()).startsWith("127.0.1.");
    assertThat(answer.asString()).isEqualTo("Hello x");
  }

  @Test
  void functionsRunUnprivilegedAndSeeNoneOfTheServersSecrets() throws Exception {
    String user = newAccountToken("peek");
    String peek =
        """
        import os
        def main(args, context):
            return {
                "uid": os.getuid(),
                "secrets_in_environment": sorted(
                    k for k in os.environ
                    if k.startswith(("SPRING_DATASOURCE_PASSWORD", "FAASPOT_ADMIN_TOKEN",
                                     "FAASPOT_SECRETS", "AWS_"))),
                "admin_token_readable": os.access("/var/lib/faaspot/admin-token", os.R_OK),
                "secrets_key_readable": os.access("/var/lib/faaspot/secrets-key", os.R_OK),
                "tls_key_readable": os.access("/var/lib/faaspot/tls/key.pem", os.R_OK),
                "db_password_readable": os.access("/run/faaspot-db/password", os.R_OK),
            }
        """;
    awaitSuccess(
        user,
        send("PUT", "/api/deployments/", user, TestFunctions.createBody("peek", peek, "", "", ""))
            .asString());
    awaitSuccess(user, send("PUT", "/api/spots/", user, null).asString());

    JsonNode seen = send("GET", "/api/sync/deployments/peek/rpc/", user, null);

    assertThat(seen.get("uid").asInt()).as("the first local spot's own uid").isEqualTo(61002);
    assertThat(seen.get("secrets_in_environment").size()).as(seen.toString()).isZero();
    assertThat(seen.get("admin_token_readable").asBoolean()).isFalse();
    assertThat(seen.get("secrets_key_readable").asBoolean()).isFalse();
    assertThat(seen.get("tls_key_readable").asBoolean()).isFalse();
    assertThat(seen.get("db_password_readable").asBoolean()).isFalse();
  }

  // --- The HTTP contract, as the old client speaks it. ---

  private static String newAccountToken(String prefix) throws Exception {
    String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    JsonNode account =
        send("POST", "/api/admin/accounts", ADMIN_TOKEN, "{\"username\": \"" + username + "\"}");
    return account.get("token").asString();
  }

  /** {@code --wait}: polls the task until it is final, and expects it to have succeeded. */
  private static JsonNode awaitSuccess(String token, String id) throws Exception {
    Instant deadline = Instant.now().plus(SPOT_WAIT);
    while (true) {
      JsonNode e = send("GET", "/api/executions/" + id, token, null);
      String status = e.get("status").asString();
      if (List.of("Success", "Failure", "Cancelled").contains(status)) {
        assertThat(status).as(e.toString()).isEqualTo("Success");
        return e;
      }
      assertThat(Instant.now()).as("task %s still %s", id, e).isBefore(deadline);
      Thread.sleep(500);
    }
  }

  private static JsonNode send(String method, String path, String token, String body)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(120))
            .header("Authorization", "Token " + token)
            .header("Content-type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  // --- Setting up. ---

  private static File composeFile() {
    Path here = Path.of("").toAbsolutePath();
    while (here != null && !Files.isRegularFile(here.resolve("docker-compose.yml"))) {
      here = here.getParent();
    }
    assertThat(here).as("docker-compose.yml above the working directory").isNotNull();
    return here.resolve("docker-compose.yml").toFile();
  }

  private static String reachableFromContainers(String indexUrl) {
    return indexUrl != null && indexUrl.matches("https?://.*") ? indexUrl : "";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Accepts any certificate for any name, as the old client does by default. An extended trust
   * manager, so that the JDK does not add its own host name check around it.
   */
  private static SSLContext trustingEverything() throws Exception {
    TrustManager[] trustEverything = {
      new X509ExtendedTrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket s) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }
    };
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, trustEverything, null);
    return ssl;
  }
}
