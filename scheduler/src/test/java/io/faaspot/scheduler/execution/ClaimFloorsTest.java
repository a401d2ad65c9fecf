package io.faaspot.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.scheduler.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClaimFloorsTest {
  static final long ACCOUNT = 7;
  final MutableClock clock = MutableClock.startingNow();
  final AtomicLong nanos = new AtomicLong();
  final ClaimFloors floors = new ClaimFloors(clock, nanos::get, Duration.ofSeconds(1));

  @Test
  void aFirstClaimReadsFromTheFrontAndTheNextFromTheOldestRowItTook() {
    ClaimFloors.Start first = floors.start(ACCOUNT, clock.instant(), Duration.ZERO);
    assertThat(first.from()).isNull();

    Instant oldestTaken = clock.instant().minusSeconds(5);
    floors.claimed(first, oldestTaken);

    assertThat(floors.start(ACCOUNT, clock.instant(), Duration.ZERO).from()).isEqualTo(oldestTaken);
    // and another account's claims still read from the front
    assertThat(floors.start(ACCOUNT + 1, clock.instant(), Duration.ZERO).from()).isNull();
  }

  @Test
  void theFloorStaysBelowAnInsertThatWasRunningWhenTheClaimStarted() {
    Instant before = clock.instant();
    ClaimFloors.Insert running = floors.inserting();
    clock.advance(Duration.ofSeconds(3));

    ClaimFloors.Start s = floors.start(ACCOUNT, clock.instant(), Duration.ZERO);
    floors.claimed(s, clock.instant().minusSeconds(1));

    assertThat(floors.start(ACCOUNT, clock.instant(), Duration.ZERO).from()).isEqualTo(before);

    // once it has ended, the next claim moves the floor up
    floors.inserted(running);
    assertThat(floors.running()).isZero();
    ClaimFloors.Start next = floors.start(ACCOUNT, clock.instant(), Duration.ZERO);
    Instant later = clock.instant().minusSeconds(1);
    floors.claimed(next, later);
    assertThat(floors.start(ACCOUNT, clock.instant(), Duration.ZERO).from()).isEqualTo(later);
  }

  @Test
  void theFloorIsNeverAboveTheTimeTheClaimStartedNorAboveItByLessThanTheMargin() {
    Instant started = clock.instant();
    ClaimFloors.Start s = floors.start(ACCOUNT, clock.instant(), Duration.ofSeconds(1));
    // (the rows it took were made by a node whose clock is ahead)
    floors.claimed(s, started.plusSeconds(10));

    assertThat(floors.start(ACCOUNT, clock.instant(), Duration.ZERO).from())
        .isEqualTo(started.minusSeconds(1));
  }

  @Test
  void aRequeueWhileAClaimRunsKeepsThatClaimFromSettingAFloor() {
    floors.claimed(
        floors.start(ACCOUNT, clock.instant(), Duration.ZERO), clock.instant().minusSeconds(9));
    ClaimFloors.Start running = floors.start(ACCOUNT, clock.instant(), Duration.ZERO);
    assertThat(running.from()).isNotNull();

    floors.invalidate();
    floors.claimed(running, clock.instant().minusSeconds(1));

    assertThat(floors.start(ACCOUNT, clock.instant(), Duration.ZERO).from()).isNull();
  }

  @Test
  void claimsReadFromTheFrontAgainOnceTheIntervalHasPassed() {
    ClaimFloors.Start first = floors.start(ACCOUNT, clock.instant(), Duration.ZERO);
    floors.claimed(first, clock.instant().minusSeconds(1));
    nanos.addAndGet(Duration.ofMillis(999).toNanos());
    ClaimFloors.Start second = floors.start(ACCOUNT, clock.instant(), Duration.ZERO);
    assertThat(second.from()).isNotNull();
    floors.claimed(second, clock.instant());

    nanos.addAndGet(Duration.ofMillis(1).toNanos());
    ClaimFloors.Start third = floors.start(ACCOUNT, clock.instant(), Duration.ZERO);
    assertThat(third.from()).isNull();

    // and the interval counts again from that claim from the front
    floors.claimed(third, clock.instant());
    nanos.addAndGet(Duration.ofMillis(500).toNanos());
    assertThat(floors.start(ACCOUNT, clock.instant(), Duration.ZERO).from()).isNotNull();
  }
}
