package io.faaspot.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Environments with real python3 and pip. pip's index is whatever this process's environment says
 * (CI sets PIP_INDEX_URL to the machine's mirror).
 */
class EnvironmentsTest {
  @TempDir Path dir;

  Environments envs(long budget) throws Exception {
    return new Environments(
        dir.resolve("envs"),
        dir.resolve("requirements"),
        Path.of("/usr/bin/python3"),
        budget,
        Duration.ofMinutes(5),
        Sandbox.unconfined(dir.resolve("home")));
  }

  @Test
  void anEnvironmentIsBuiltOnceAndThenReused() throws Exception {
    Environments envs = envs(Long.MAX_VALUE);

    Environment first = envs.ensure("six\n", null);
    Environment second = envs.ensure("six\n", null);

    assertThat(first.built()).isTrue();
    assertThat(second.built()).isFalse();
    assertThat(second.dir()).isEqualTo(first.dir());
    assertThat(envs.builds()).isEqualTo(1);
    Process p =
        new ProcessBuilder(first.python().toString(), "-c", "import six; print(six.__version__)")
            .start();
    assertThat(p.waitFor()).isZero();
  }

  @Test
  void concurrentRequestsForOneEnvironmentBuildItOnce() throws Exception {
    Environments envs = envs(Long.MAX_VALUE);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Environment>> results = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      results.add(
          pool.submit(
              () -> {
                go.await();
                return envs.ensure("six\n", "same-hash");
              }));
    }
    go.countDown();
    for (Future<Environment> f : results) {
      assertThat(f.get(2, TimeUnit.MINUTES).dir()).exists();
    }
    pool.shutdown();

    assertThat(envs.builds()).isEqualTo(1);
  }

  @Test
  void aFailedBuildLeavesNothingBehindAndKeepsPipsMessage() throws Exception {
    Environments envs = envs(Long.MAX_VALUE);

    assertThatThrownBy(() -> envs.ensure("no-such-package-faaspot-test==1.0\n", null))
        .isInstanceOf(BuildFailed.class)
        .satisfies(
            e ->
                assertThat(((BuildFailed) e).output)
                    .containsIgnoringCase("no matching distribution"));
    try (var left = Files.list(dir.resolve("envs"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void leastRecentlyUsedEnvironmentsAreEvictedPastTheBudget() throws Exception {
    Environments envs = envs(1);
    Environment a = envs.ensure("", "aaaa");
    Environment b = envs.ensure("", "bbbb");

    assertThat(b.dir()).exists();
    assertThat(a.dir()).doesNotExist();
  }

  @Test
  void anEnvironmentInUseIsNotEvicted() throws Exception {
    Environments envs = envs(1);
    Environment a = envs.ensure("", "aaaa");
    envs.acquire(a.key());

    envs.ensure("", "bbbb");

    assertThat(a.dir()).exists();
  }
}
