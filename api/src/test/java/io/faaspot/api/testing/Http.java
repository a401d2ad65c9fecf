package io.faaspot.api.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client that talks like the old {@code fas} client: every request carries {@code
 * Content-type: application/json} (GET and DELETE too), bodies are JSON text.
 */
public final class Http {
  public static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private final HttpClient client;

  public Http(String base) {
    this(base, CLIENT);
  }

  private Http(String base, HttpClient client) {
    this.base = base;
    this.client = client;
  }

  /**
   * The same server, reached from another local address: any of 127.0.0.0/8 is this machine, so
   * tests can play clients on different addresses without leaving loopback.
   */
  public Http from(String localAddress) {
    try {
      return new Http(
          base,
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .localAddress(InetAddress.getByName(localAddress))
              .build());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(localAddress, e);
    }
  }

  public String base() {
    return base;
  }

  /** A response: status, raw body, and the body parsed as JSON (null if it is not JSON). */
  public record Response(
      int status, String body, String contentType, Map<String, List<String>> headers) {
    public Response(int status, String body, String contentType) {
      this(status, body, contentType, Map.of());
    }

    /** The first value of a response header (names in any case), or null. */
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (RuntimeException e) {
        throw new AssertionError("not JSON (status " + status + "): " + body, e);
      }
    }

    /** The error message of a JSON error body. */
    public String message() {
      return json().path("message").asString();
    }
  }

  /** Sends a request; {@code authorization} may be null; {@code body} may be null. */
  public Response send(
      String method, String path, String authorization, String body, String... headers) {
    return sendBytes(
        method,
        path,
        authorization,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8),
        headers);
  }

  public Response sendBytes(
      String method, String path, String authorization, byte[] body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    boolean hasType = false;
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
      hasType |= headers[i].equalsIgnoreCase("Content-type");
    }
    if (!hasType) {
      b.header("Content-type", "application/json");
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(
          r.statusCode(),
          r.body(),
          r.headers().firstValue("Content-Type").orElse(""),
          r.headers().map());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public User newUser(String adminToken, String prefix) {
    String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    Response r =
        send(
            "POST",
            "/api/admin/accounts",
            "Token " + adminToken,
            "{\"username\": \"" + username + "\", \"password\": \"password-" + username + "\"}");
    if (r.status() != 200) {
      throw new AssertionError("cannot create account: " + r);
    }
    return new User(this, username, r.json().get("token").asString());
  }

  /** A user of the API with a token, sending requests as the old client does. */
  public record User(Http http, String username, String token) {
    public String auth() {
      return "Token " + token;
    }

    public String password() {
      return "password-" + username;
    }

    public Response get(String path) {
      return http.send("GET", path, auth(), null);
    }

    public Response delete(String path) {
      return http.send("DELETE", path, auth(), null);
    }

    public Response put(String path, String body) {
      return http.send("PUT", path, auth(), body);
    }

    public Response post(String path, String body) {
      return http.send("POST", path, auth(), body);
    }

    public Response patch(String path, String body) {
      return http.send("PATCH", path, auth(), body);
    }
  }
}
