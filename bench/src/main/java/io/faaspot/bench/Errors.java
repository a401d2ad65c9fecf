package io.faaspot.bench;

import java.util.concurrent.atomic.AtomicLong;

/** Counts failed calls; the first few are printed to stderr so a broken run says why. */
final class Errors {
  private static final int PRINTED = 5;
  private final AtomicLong count = new AtomicLong();

  void add(String what) {
    if (count.incrementAndGet() <= PRINTED) {
      System.err.println("error: " + what);
    }
  }

  void add(String what, Exception e) {
    add(what + ": " + e);
  }

  long count() {
    return count.get();
  }
}
