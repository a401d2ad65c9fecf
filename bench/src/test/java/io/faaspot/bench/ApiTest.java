package io.faaspot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The load generator's own HTTP/1.1: the requests it writes, and the three ways a response body
 * ends (Content-Length, chunked, connection close), against a scripted server socket.
 */
class ApiTest {
  private ServerSocket server;
  private Thread serving;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> answers = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    serving =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  int next = 0;
                  while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                      connections.incrementAndGet();
                      BufferedReader in =
                          new BufferedReader(
                              new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                      OutputStream out = s.getOutputStream();
                      while (next < answers.size()) {
                        StringBuilder request = new StringBuilder();
                        int length = 0;
                        String line;
                        while ((line = in.readLine()) != null && !line.isEmpty()) {
                          request.append(line).append('\n');
                          if (line.toLowerCase().startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).strip());
                          }
                        }
                        if (line == null) {
                          break;
                        }
                        char[] body = new char[length];
                        int read = 0;
                        while (read < length) {
                          read += in.read(body, read, length - read);
                        }
                        requests.add(request + new String(body));
                        String answer = answers.get(next++);
                        out.write(answer.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        if (answer.contains("Connection: close")) {
                          break;
                        }
                      }
                    } catch (Exception e) {
                      // The test closed the socket.
                    }
                  }
                });
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    serving.join(2000);
  }

  @Test
  void writesUsersRequestsAndReadsEveryKindOfBodyOverOneKeptAliveConnection() throws Exception {
    answers.add("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n\"hello\"");
    answers.add(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n"
            + "6\r\n: \"b\"}\r\n0\r\n\r\n");
    answers.add("HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}");
    answers.add("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n[1, 2]");
    answers.add("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ntrue");
    Api api = new Api("http://127.0.0.1:" + server.getLocalPort() + "/", "fst_t");

    Response first = api.get("/api/x?n=1");
    Response second = api.post("/api/y", "{\"k\": \"v\"}");
    Response third = api.get("/missing");
    Response fourth = api.get("/close");
    Response fifth = api.get("/after");

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().asString()).isEqualTo("hello");
    assertThat(second.json().get("a").asString()).isEqualTo("b");
    assertThat(third.status()).isEqualTo(404);
    assertThat(third.ok()).isFalse();
    assertThat(fourth.json().size()).isEqualTo(2);
    assertThat(fifth.body()).isEqualTo("true");
    // the first four on one kept-alive connection; a new one after the server closed it
    assertThat(connections.get()).isEqualTo(2);
    assertThat(requests.get(0))
        .startsWith("GET /api/x?n=1 HTTP/1.1\n")
        .contains("Authorization: Token fst_t\n")
        .contains("Content-type: application/json\n");
    assertThat(requests.get(1))
        .startsWith("POST /api/y HTTP/1.1\n")
        .contains("Content-Length: 10\n")
        .endsWith("{\"k\": \"v\"}");
  }
}
