package io.faaspot.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The agent's side of docs/agent-protocol.md: JSON over HTTP(S), one warm client. */
final class ServerClient {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;
  private volatile String credential;

  ServerClient(URI base) {
    this.base = base;
  }

  ObjectNode object() {
    return JSON.createObjectNode();
  }

  void credential(String credential) {
    this.credential = credential;
  }

  String credential() {
    return credential;
  }

  HttpClient http() {
    return http;
  }

  URI base() {
    return base;
  }

  JsonNode post(String path, JsonNode body, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve("/agent/v1/" + path))
            .timeout(timeout)
            .header("Content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    if (credential != null) {
      request.header("Authorization", "Bearer " + credential);
    }
    HttpResponse<byte[]> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    JsonNode answer;
    try {
      answer = JSON.readTree(response.body());
    } catch (RuntimeException e) {
      throw new IOException(path + ": answer is not JSON (status " + response.statusCode() + ")");
    }
    if (response.statusCode() == 401) {
      throw new Revoked(answer.path("message").asString("unauthorized"));
    }
    if (response.statusCode() != 200) {
      throw new IOException(
          path + ": " + response.statusCode() + " " + answer.path("message").asString());
    }
    return answer;
  }
}
