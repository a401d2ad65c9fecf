package io.faaspot.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server as users reach it: HTTP/1.1 with keep-alive, {@code Authorization: Token T} and {@code
 * Content-type: application/json} on every request.
 *
 * <p>It speaks HTTP/1.1 itself over one kept-alive socket per client thread, rather than through
 * {@code java.net.http.HttpClient}: the load generator shares the machine with what it measures,
 * and that client spends more CPU per request (selector thread, executor hand-offs) than some of
 * the servers measured here. The requests on the wire are the same.
 */
final class Api {
  static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Longer than the server's sync wait (90 s), so a sync call answers before the client gives up.
   */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(150);

  private final String host;
  private final int port;
  private final String basePath;
  private final String hostHeader;
  private final String token;
  private final ThreadLocal<HttpConnection> connections = new ThreadLocal<>();

  Api(String base, String token) {
    URI uri = URI.create(base);
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("the load generator speaks plain HTTP: " + base);
    }
    this.host = uri.getHost();
    this.port = uri.getPort() < 0 ? 80 : uri.getPort();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.hostHeader = uri.getPort() < 0 ? host : host + ":" + port;
    this.token = token;
  }

  Response get(String path) throws IOException, InterruptedException {
    return exchange("GET", path, null);
  }

  Response send(String method, String path, Object body) throws IOException, InterruptedException {
    String json = body instanceof String s ? s : JSON.writeValueAsString(body);
    return exchange(method, path, json.getBytes(StandardCharsets.UTF_8));
  }

  Response post(String path, Object body) throws IOException, InterruptedException {
    return send("POST", path, body);
  }

  private Response exchange(String method, String path, byte[] body) throws IOException {
    byte[] head = head(method, path, body);
    HttpConnection c = connections.get();
    if (c != null) {
      try {
        return c.exchange(head, body);
      } catch (IOException e) {
        // The server closed the kept-alive connection in between: once more on a new one.
        c.close();
        connections.remove();
      }
    }
    c = open();
    try {
      return c.exchange(head, body);
    } catch (IOException e) {
      c.close();
      connections.remove();
      throw e;
    }
  }

  private byte[] head(String method, String path, byte[] body) {
    StringBuilder h = new StringBuilder(256);
    h.append(method).append(' ').append(basePath).append(path).append(" HTTP/1.1\r\n");
    h.append("Host: ").append(hostHeader).append("\r\n");
    h.append("Content-type: application/json\r\n");
    if (token != null) {
      h.append("Authorization: Token ").append(token).append("\r\n");
    }
    if (body != null) {
      h.append("Content-Length: ").append(body.length).append("\r\n");
    }
    h.append("\r\n");
    return h.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private HttpConnection open() throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(new InetSocketAddress(host, port), 10_000);
    s.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
    HttpConnection c = new HttpConnection(s);
    connections.set(c);
    return c;
  }
}
