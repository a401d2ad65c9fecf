package io.faaspot.api.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

  public Http(String base) {
    this.base = base;
  }

  public String base() {
    return base;
  }

  /** A response: status, raw body, and the body parsed as JSON (null if it is not JSON). */
  public record Response(int status, String body, String contentType) {
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
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(
          r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
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
