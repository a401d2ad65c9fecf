package io.faaspot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The poller against a scripted {@code POST /api/executions/bulk}: what it counts, and which copy
 * of an execution its timings are read from.
 */
class CompletionTest {
  private HttpServer server;
  private final List<String> answers = new ArrayList<>();
  private final List<String> asked = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/api/executions/bulk",
        exchange -> {
          asked.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] body = answers.get(Math.min(asked.size(), answers.size()) - 1).getBytes();
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static String execution(String id, String status, boolean ran) {
    return "{\"uuid\": \""
        + id
        + "\", \"status\": \""
        + status
        + "\", \"output\": {\"status\": \"Failure\"}, \"created\": \"2026-11-26T10:00:00Z\""
        + (ran
            ? ", \"finished\": \"2026-11-26T10:00:01Z\", \"timings\": {\"queued_ms\": 1.0,"
                + " \"dispatch_ms\": 2.0, \"run_ms\": 3.0, \"report_ms\": 4.0}"
            : ", \"finished\": null, \"timings\": null")
        + "}";
  }

  @Test
  void eachExecutionsTimingsComeFromTheAnswerItFinishedIn() throws Exception {
    // The probe of b finds it finished; the chunk [a, b] then has a still started and b finished;
    // a alone, polled again, has finished. a's timings are those of the last answer, not the
    // started copy of the answer kept for b.
    answers.add("[" + execution("b", "Success", true) + "]");
    answers.add(
        "[" + execution("a", "Started", false) + ", " + execution("b", "Success", true) + "]");
    answers.add("[" + execution("a", "Failure", true) + "]");
    Api api = new Api("http://127.0.0.1:" + server.getAddress().getPort(), "fst_t");
    Errors errors = new Errors();
    Stages stages = new Stages();

    Completion.Outcome o =
        new Completion(api, errors, stages).await(List.of("a", "b"), Duration.ofSeconds(10));

    assertThat(asked).containsExactly("[\"b\"]", "[\"a\",\"b\"]", "[\"a\"]");
    assertThat(o.succeeded()).isEqualTo(1);
    assertThat(o.failed()).isEqualTo(1);
    assertThat(o.unfinished()).isZero();
    assertThat(o.polls()).isEqualTo(3);
    Result result = new Result("bulk");
    stages.reportStages(result);
    assertThat(result.get("stages_executions")).isEqualTo(2L);
    @SuppressWarnings("unchecked")
    var runMs = (Map<String, Object>) ((Map<String, Object>) result.get("stages")).get("run_ms");
    assertThat(runMs.get("count")).isEqualTo(2L);
    assertThat(errors.count()).isEqualTo(1);
  }
}
