package io.faaspot.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server as users reach it: HTTP/1.1 with keep-alive (one shared client, its connection pool),
 * {@code Authorization: Token T} and {@code Content-type: application/json} on every request.
 */
final class Api {
  static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Longer than the server's sync wait (90 s), so a sync call answers before the client gives up.
   */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(150);

  record Response(int status, String body) {
    boolean ok() {
      return status == 200;
    }

    JsonNode json() {
      return JSON.readTree(body);
    }

    @Override
    public String toString() {
      String b = body.length() > 300 ? body.substring(0, 300) + "…" : body;
      return status + " " + b;
    }
  }

  private final HttpClient http;
  private final String base;
  private final String token;

  Api(String base, String token) {
    this.base = base;
    this.token = token;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  Response get(String path) throws IOException, InterruptedException {
    return send(request(path).GET().build());
  }

  Response send(String method, String path, Object body) throws IOException, InterruptedException {
    String json = body instanceof String s ? s : JSON.writeValueAsString(body);
    return send(request(path).method(method, HttpRequest.BodyPublishers.ofString(json)).build());
  }

  Response post(String path, Object body) throws IOException, InterruptedException {
    return send("POST", path, body);
  }

  private HttpRequest.Builder request(String path) {
    var b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-type", "application/json");
    if (token != null) {
      b.header("Authorization", "Token " + token);
    }
    return b;
  }

  private Response send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body());
  }
}
