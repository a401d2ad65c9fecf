package io.faaspot.agent;

/** Recent calls' run time, a moving average in ms (NaN until one ran): it sizes the prefetch. */
final class RunTimes {
  private volatile double averageMs = Double.NaN;

  void record(long nanos) {
    double ms = nanos / 1e6;
    double avg = averageMs;
    averageMs = Double.isNaN(avg) ? ms : avg * 0.9 + ms * 0.1;
  }

  double averageMs() {
    return averageMs;
  }
}
