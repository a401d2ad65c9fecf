package io.faaspot.api.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** What the hot path remembers of credentials, and for how long. */
class CredentialCacheTest {
  private final AtomicInteger lookups = new AtomicInteger();
  private volatile Optional<String> owner = Optional.of("alice");

  private final Function<byte[], Optional<String>> database =
      digest -> {
        lookups.incrementAndGet();
        return owner;
      };

  @Test
  void anAcceptedCredentialIsRememberedForItsTimeToLiveThenLookedUpAgain() throws Exception {
    CredentialCache<String> cache = new CredentialCache<>(Duration.ofMillis(300));
    byte[] digest = {1, 2, 3};

    assertThat(cache.get(digest, database)).contains("alice");
    assertThat(cache.get(new byte[] {1, 2, 3}, database)).contains("alice");
    assertThat(lookups).hasValue(1);

    // revoked in the database: still remembered until the time to live has passed
    owner = Optional.empty();
    assertThat(cache.get(digest, database)).contains("alice");
    Thread.sleep(400);
    assertThat(cache.get(digest, database)).isEmpty();
    assertThat(lookups).hasValue(2);
  }

  @Test
  void aRefusedCredentialIsNotRememberedSoANewOneWorksAtOnce() {
    CredentialCache<String> cache = new CredentialCache<>(Duration.ofMinutes(1));
    owner = Optional.empty();
    assertThat(cache.get(new byte[] {9}, database)).isEmpty();

    owner = Optional.of("bob");
    assertThat(cache.get(new byte[] {9}, database)).contains("bob");
    assertThat(lookups).hasValue(2);
  }

  @Test
  void clearingForgetsEverythingAndAZeroTimeToLiveRemembersNothing() {
    CredentialCache<String> cache = new CredentialCache<>(Duration.ofMinutes(1));
    cache.get(new byte[] {7}, database);
    cache.clear();
    owner = Optional.empty();
    assertThat(cache.get(new byte[] {7}, database)).isEmpty();

    CredentialCache<String> off = new CredentialCache<>(Duration.ZERO);
    owner = Optional.of("carol");
    off.get(new byte[] {5}, database);
    off.get(new byte[] {5}, database);
    assertThat(lookups).hasValue(4);
  }

  @Test
  void anAcceptedCredentialStaysKnownPastItsTimeToLiveUntilEverythingIsForgotten()
      throws Exception {
    CredentialCache<String> cache = new CredentialCache<>(Duration.ofMillis(50));
    owner = Optional.empty();
    cache.get(new byte[] {4}, database);
    assertThat(cache.known(new byte[] {4})).as("refused").isFalse();

    owner = Optional.of("dave");
    cache.get(new byte[] {4}, database);
    Thread.sleep(100);
    assertThat(cache.known(new byte[] {4})).as("accepted, time to live passed").isTrue();

    cache.clear();
    assertThat(cache.known(new byte[] {4})).as("forgotten").isFalse();

    CredentialCache<String> off = new CredentialCache<>(Duration.ZERO);
    off.get(new byte[] {6}, database);
    assertThat(off.known(new byte[] {6})).as("known with the cache off").isTrue();
  }
}
