package io.faaspot.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScalingPolicyTest {
  private static final int WORKERS = 2;
  private static final double QUEUE_AGE = 10;

  private static int target(Pool pool, int min, int max) {
    return ScalingPolicy.target(pool, WORKERS, min, max, QUEUE_AGE);
  }

  @Test
  void aCallWaitingOnAnAccountWithNoSpotLaunchesOne() {
    assertThat(target(new Pool(0, 0, 0, 1, 0), 0, 3)).isEqualTo(1);
  }

  @Test
  void theWorkWaitingAndRunningAsksForASpotPerWorkersCallsUpToTheMaximum() {
    // 2 ready spots run 4 calls, 5 wait: 9 calls want 5 spots
    assertThat(target(new Pool(2, 0, 4, 5, 1), 0, 8)).isEqualTo(5);
    assertThat(target(new Pool(2, 0, 4, 5, 1), 0, 3)).isEqualTo(3);
  }

  @Test
  void aCallWaitingPastTheQueueAgeAddsOneSpotUnlessOneIsStarting() {
    // one ready spot with room on paper (it may be building an environment), one call waits
    assertThat(target(new Pool(1, 0, 0, 1, QUEUE_AGE - 1), 0, 3)).isEqualTo(1);
    assertThat(target(new Pool(1, 0, 0, 1, QUEUE_AGE), 0, 3)).isEqualTo(2);
    assertThat(target(new Pool(1, 1, 0, 1, QUEUE_AGE), 0, 3)).isEqualTo(2);
  }

  @Test
  void withNoCallWaitingItKeepsWhatItHasAndNeverFallsBelowTheMinimum() {
    assertThat(target(new Pool(3, 0, 1, 0, 0), 0, 5)).isEqualTo(3);
    assertThat(target(new Pool(0, 0, 0, 0, 0), 1, 5)).isEqualTo(1);
  }
}
