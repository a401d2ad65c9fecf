package io.faaspot.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The poll answers in which executions finished, kept while {@link Completion} waits and read whole
 * only after the last one is seen: each finished execution's timings, and a failure's status and
 * output as an error. That is the benchmark's bookkeeping; done while waiting, it would take CPU
 * from the server it measures.
 */
final class FinishedAnswers {
  /**
   * An answer and the executions that finished in it: only those are read from it (it also holds
   * the still unfinished executions it was asked for, as they were then).
   */
  private record Kept(byte[] answer, Set<String> finished) {}

  private final List<Kept> kept = new ArrayList<>();
  private final Set<String> failures = new HashSet<>();

  void keep(byte[] answer, Set<String> finished) {
    kept.add(new Kept(answer, finished));
  }

  /** The execution finished other than in {@code Success}: its output is reported as an error. */
  void failed(String id) {
    failures.add(id);
  }

  /** Adds the finished executions to {@code stages}, and the failures to {@code errors}. */
  void read(Stages stages, Errors errors) {
    for (Kept k : kept) {
      JsonNode executions = Api.JSON.readTree(k.answer());
      for (JsonNode e : executions) {
        String id = e.path("uuid").asString("");
        if (k.finished().contains(id)) {
          stages.add(e);
          if (failures.contains(id)) {
            errors.add(
                "execution " + id + " " + e.path("status").asString("") + ": " + e.path("output"));
          }
        }
      }
    }
    kept.clear();
  }
}
