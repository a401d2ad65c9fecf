package io.faaspot.api.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How failures are counted per key, for how long, and in how much memory. */
class FailureWindowsTest {
  static final long MINUTE = 60_000;

  @Test
  void aKeyIsBlockedAtItsLimitUntilTheWindowItsFirstFailureOpenedEnds() {
    // given a limit of three failures a minute
    FailureWindows windows = new FailureWindows(3, MINUTE, 1000, 0);

    // when a key fails three times, at 0, 10 and 20 seconds
    windows.recordFailure("alice", 0);
    windows.recordFailure("alice", 10_000);
    assertThat(windows.blockedMillis("alice", 10_000)).isZero();
    windows.recordFailure("alice", 20_000);

    // then it is blocked until a minute after the first, and others are not
    assertThat(windows.blockedMillis("alice", 20_000)).isEqualTo(40_000);
    assertThat(windows.blockedMillis("alice", 59_999)).isEqualTo(1);
    assertThat(windows.blockedMillis("alice", 60_000)).isZero();
    assertThat(windows.blockedMillis("bob", 20_000)).isZero();
    // and a failure after the window opens a new one
    windows.recordFailure("alice", 60_000);
    assertThat(windows.blockedMillis("alice", 60_000)).isZero();
  }

  @Test
  void forgettingAKeyClearsItsCount() {
    FailureWindows windows = new FailureWindows(2, MINUTE, 1000, 0);
    windows.recordFailure("alice", 0);
    windows.recordFailure("alice", 1);
    assertThat(windows.blockedMillis("alice", 2)).isPositive();

    windows.forget("alice");

    assertThat(windows.blockedMillis("alice", 2)).isZero();
  }

  @Test
  void aWindowOpenedInOneGenerationCountsOnInTheNext() {
    // given a key whose first failure falls just before a new generation starts
    FailureWindows windows = new FailureWindows(3, MINUTE, 1000, 0);
    windows.recordFailure("alice", 59_000);
    windows.recordFailure("other", 61_000);

    // when it fails twice more in the new generation
    windows.recordFailure("alice", 62_000);
    windows.recordFailure("alice", 63_000);

    // then the three count together, to the end of the first one's window
    assertThat(windows.blockedMillis("alice", 63_000)).isEqualTo(56_000);
  }

  @Test
  void aFloodOfDistinctKeysKeepsAtMostTwoGenerationsOfEntries() {
    // given room for 1000 keys a generation
    FailureWindows windows = new FailureWindows(10, MINUTE, 1000, 0);

    // when 100,000 distinct keys fail within one window
    for (int i = 0; i < 100_000; i++) {
      windows.recordFailure("key-" + i, i / 10);
    }

    // then at most two generations are kept, the newest keys among them
    assertThat(windows.size()).isLessThanOrEqualTo(2000);
    windows.recordFailure("key-99999", 10_000);
    assertThat(windows.size()).isLessThanOrEqualTo(2001);
  }
}
