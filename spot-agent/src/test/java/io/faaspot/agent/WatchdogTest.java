package io.faaspot.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WatchdogTest {
  @Test
  void aShortTimeoutEndsItsCallWhileTheWatchdogSleepsForALongerOne() throws Exception {
    // given a watchdog already asleep until a long call's deadline (its longest sleep, a second)
    Watchdog dog = new Watchdog("test-watchdog");
    Watchdog.Watch longCall = dog.watch(Duration.ofMinutes(1), () -> {});
    Thread.sleep(20);

    // when a call with a 100 ms timeout starts
    CountDownLatch expired = new CountDownLatch(1);
    long start = System.nanoTime();
    Watchdog.Watch shortCall = dog.watch(Duration.ofMillis(100), expired::countDown);

    // then it is ended near its own deadline, not at the watchdog's next look
    assertThat(expired.await(5, TimeUnit.SECONDS)).isTrue();
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    // (a watchdog that slept on would end it near a second: a margin for a loaded machine)
    assertThat(tookMs).isBetween(100L, 700L);
    // and its answer, come too late, is refused; the long call's is taken
    assertThat(shortCall.answered()).isFalse();
    assertThat(longCall.answered()).isTrue();
    assertThat(dog.watching()).isZero();
  }

  @Test
  void aCallThatCannotBeEndedLeavesTheOthersWatched() throws Exception {
    // given a call whose ending fails
    Watchdog dog = new Watchdog("test-watchdog");
    dog.watch(
        Duration.ofMillis(50),
        () -> {
          throw new IllegalStateException("no such process");
        });
    Thread.sleep(200);

    // when another call runs past its timeout
    CountDownLatch expired = new CountDownLatch(1);
    dog.watch(Duration.ofMillis(50), expired::countDown);

    // then it is ended all the same
    assertThat(expired.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void anAnsweredCallIsNeverEnded() throws Exception {
    // given calls answered well within their timeouts
    Watchdog dog = new Watchdog("test-watchdog");
    AtomicInteger ended = new AtomicInteger();
    for (int i = 0; i < 1000; i++) {
      Watchdog.Watch w = dog.watch(Duration.ofMillis(200), ended::incrementAndGet);
      assertThat(w.answered()).isTrue();
    }

    // when their deadlines pass
    Thread.sleep(400);

    // then none was ended, and none is still watched
    assertThat(ended).hasValue(0);
    assertThat(dog.watching()).isZero();
  }
}
