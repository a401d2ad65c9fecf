package io.faaspot.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The poller's streaming reads of the server's arrays: ids and statuses, and nothing else. */
class ExecutionsJsonTest {
  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsTheIdsABulkRunAnswered() {
    assertThat(ExecutionsJson.strings(bytes("[\"a\", \"b\"]"))).containsExactly("a", "b");
    assertThat(ExecutionsJson.strings(bytes("[]"))).isEmpty();
    assertThat(ExecutionsJson.strings(bytes("{\"message\": \"no\"}"))).isNull();
    assertThat(ExecutionsJson.strings(bytes("[\"a\", 1]"))).isNull();
  }

  @Test
  void aTruncatedAnswerIsRefusedNotLoopedOn() {
    // The parser throws at the end of input inside an open array (it never answers null there,
    // which these loops would take as more elements).
    assertThatThrownBy(() -> ExecutionsJson.statuses(bytes("[{\"uuid\": \"a\"}, "), List.of("a")))
        .isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> ExecutionsJson.strings(bytes("[\"a\", ")))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void readsEachExecutionsStatusAndSkipsItsNestedValues() {
    // Nested objects and arrays hold "uuid" and "status" names of their own, which are not the
    // execution's; an element without a uuid is the asked id at its place; null is left out.
    String json =
        """
        [{"uuid": "u1", "args": {"status": "Failure", "uuid": "x"}, "status": "Success",
          "output": [{"status": "Cancelled"}, "status"], "timings": {"run_ms": 0.1}},
         null,
         {"status": "Pending", "logs": "status: \\"Success\\""},
         {"uuid": "u4", "attempts": 2, "duration": 0.5, "spot": null}]
        """;

    var statuses = ExecutionsJson.statuses(bytes(json), List.of("u1", "u2", "u3", "u4"));

    assertThat(statuses)
        .containsExactly(
            java.util.Map.entry("u1", "Success"), java.util.Map.entry("u3", "Pending"));
  }
}
