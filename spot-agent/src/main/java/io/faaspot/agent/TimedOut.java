package io.faaspot.agent;

import java.time.Duration;

/** A worker gave no answer in time (an import or a call): its process was killed. */
final class TimedOut extends Exception {
  TimedOut(Duration after) {
    super("timed out after " + after.toSeconds() + " s");
  }
}
