package io.faaspot.api.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The chaos suite's findings, one row per fault, written as the README's "Failure modes" table
 * ({@code target/chaos/failure-modes.md}) so that the figures there come from a run.
 */
final class FailureModes {
  /**
   * @param callersSaw what the sync, async and bulk callers got while the fault lasted
   * @param handedOut execution ids handed out during the phase (all must end final)
   * @param reRun how many of them ran more than once
   * @param callersGap from the fault until sync callers got results again
   * @param inFlightSettled from the fault until every id handed out before it was final
   * @param extra what else was measured (a restart's time, the pool back to full)
   */
  record Row(
      String fault,
      String callersSaw,
      int handedOut,
      int reRun,
      Duration callersGap,
      Duration inFlightSettled,
      String extra) {}

  private final List<Row> rows = new ArrayList<>();

  synchronized void add(Row row) {
    rows.add(row);
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  synchronized String markdown() {
    StringBuilder md =
        new StringBuilder(
            "| fault | what callers saw | executions (handed out; run twice) | callers' gap |"
                + " in flight at the fault, all final after | also measured |\n"
                + "|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %,d; %d | %s | %s | %s |%n",
              r.fault(),
              r.callersSaw(),
              r.handedOut(),
              r.reRun(),
              seconds(r.callersGap()),
              seconds(r.inFlightSettled()),
              r.extra()));
    }
    return md.toString();
  }

  void write(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, markdown());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
