package io.faaspot.api.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.spot.SpotRegistrations;
import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.TestAgent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Failed authentication is throttled per username and per client address before any password check
 * or lookup, and password checks are capped so that a flood of them leaves token calls fast. A
 * server of its own, with the default limits (10 failures per username, 30 per address, in a
 * minute) and a clock the tests move, so that windows end without waiting. Each test plays its
 * clients from addresses of its own in 127.0.0.0/8, as real attackers and users have theirs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuthThrottleTest {
  static final String ADMIN_TOKEN = "fst_auth-throttle-test-admin-token";

  @LocalServerPort int port;
  @Autowired MovableClock clock;
  @Autowired AuthThrottle throttle;
  @Autowired SpotRegistrations registrations;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) throws IOException {
    var data = Files.createTempDirectory("faaspot-auth-throttle");
    r.add("faaspot.data-dir", data::toString);
    r.add("faaspot.admin-token", () -> ADMIN_TOKEN);
    r.add("faaspot.spots.provider", () -> "manual");
    r.add("faaspot.api.auth-throttle.window", () -> "1m");
    r.add("faaspot.api.auth-throttle.max-failures-per-username", () -> "10");
    r.add("faaspot.api.auth-throttle.max-failures-per-address", () -> "30");
    r.add("faaspot.api.auth-throttle.password-checks", () -> "1");
    r.add("faaspot.api.auth-throttle.password-check-wait", () -> "100ms");
  }

  /** The system's time plus an offset the tests move forward. */
  static final class MovableClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void advance(Duration by) {
      offset = offset.plus(by);
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  @TestConfiguration
  static class Clocks {
    @Bean
    @Primary
    MovableClock movableClock() {
      return new MovableClock();
    }
  }

  @Test
  void afterTenWrongPasswordsAUsernameIsRefusedEvenTheRightOneUntilItsWindowEnds()
      throws Exception {
    // given an account whose owner logged in with its password (the header is now remembered),
    // and a guesser on another address who then sent ten wrong passwords
    Http.User alice = newUser("alice");
    Http owner = http().from("127.0.1.1");
    Http guesser = http().from("127.0.1.2");
    assertThat(basic(owner, alice.username(), alice.password()).status()).isEqualTo(200);
    for (int i = 0; i < 10; i++) {
      assertThat(basic(guesser, alice.username(), "guess-" + i).status()).isEqualTo(401);
    }

    // when the guesser tries again, and the owner too, with the right (and remembered) password,
    // while every password check is taken
    Http.Response guess;
    Http.Response right;
    throttle.passwordChecks().acquire();
    try {
      guess = basic(guesser, alice.username(), "guess-10");
      right = basic(owner, alice.username(), alice.password());
    } finally {
      throttle.passwordChecks().release();
    }

    // then both are refused with 429 and Retry-After, before any password check (none was free)
    assertThrottled(guess, "too_many_failures");
    assertThrottled(right, "too_many_failures");
    assertThat(right.message()).contains("for this username");
    // and the account's token still works, from any address
    assertThat(owner.send("GET", "/api/deployments/", alice.auth(), null).status()).isEqualTo(200);

    // and once the window has passed, the right password works again
    clock.advance(Duration.ofSeconds(61));
    assertThat(basic(owner, alice.username(), alice.password()).status()).isEqualTo(200);
  }

  @Test
  void aRightPasswordClearsItsUsernamesCountButNotItsAddresses() {
    // given nine wrong passwords for an account
    Http.User bob = newUser("bob");
    Http client = http().from("127.0.2.1");
    for (int i = 0; i < 9; i++) {
      assertThat(basic(client, bob.username(), "guess-" + i).status()).isEqualTo(401);
    }

    // when the right one follows
    assertThat(basic(client, bob.username(), bob.password()).status()).isEqualTo(200);

    // then the username has ten tries again (without the reset the second would be refused)
    for (int i = 0; i < 10; i++) {
      assertThat(basic(client, bob.username(), "again-" + i).status()).isEqualTo(401);
    }
    assertThrottled(basic(client, bob.username(), "again-10"), "too_many_failures");
    // while the address kept all nineteen failures: eleven more and it is refused
    for (int i = 0; i < 11; i++) {
      assertThat(basic(client, "nobody-" + UUID.randomUUID(), "x").status()).isEqualTo(401);
    }
    assertThrottled(basic(client, "nobody-" + UUID.randomUUID(), "x"), "too_many_failures");
  }

  @Test
  void anAddressThatFailedThirtyTimesIsRefusedWhateverTheCredentialButATokenItsOwnerUsed()
      throws Exception {
    // given a user whose token this node has accepted, and thirty wrong passwords from one
    // address, each for another username
    Http.User carol = newUser("carol");
    assertThat(carol.get("/api/deployments/").status()).isEqualTo(200);
    Http shared = http().from("127.0.3.1");
    for (int i = 0; i < 30; i++) {
      assertThat(basic(shared, "nobody-" + UUID.randomUUID(), "guess").status()).isEqualTo(401);
    }

    // when that address sends another username, the right password of a real account, a wrong
    // token and a token this node never saw, with every password check taken
    Http.Response otherUser;
    Http.Response rightPassword;
    throttle.passwordChecks().acquire();
    try {
      otherUser = basic(shared, "nobody-" + UUID.randomUUID(), "guess");
      rightPassword = basic(shared, carol.username(), carol.password());
    } finally {
      throttle.passwordChecks().release();
    }
    Http.Response wrongToken = shared.send("GET", "/api/deployments/", "Token fst_wrong", null);
    String newToken =
        admin()
            .post("/api/admin/accounts/" + carol.username() + "/tokens", "{\"label\": \"new\"}")
            .json()
            .get("token")
            .asString();
    Http.Response unseenToken = shared.send("GET", "/api/deployments/", "Token " + newToken, null);

    // then all are refused with 429 before any check or lookup
    assertThrottled(otherUser, "too_many_failures");
    assertThrottled(rightPassword, "too_many_failures");
    assertThat(rightPassword.message()).contains("from this address");
    assertThrottled(wrongToken, "too_many_failures");
    assertThrottled(unseenToken, "too_many_failures");
    // but the token its owner has used still works from there, and the password from elsewhere
    assertThat(shared.send("GET", "/api/deployments/", carol.auth(), null).status()).isEqualTo(200);
    assertThat(basic(http().from("127.0.3.2"), carol.username(), carol.password()).status())
        .isEqualTo(200);

    // and once the window has passed, the address is heard again
    clock.advance(Duration.ofSeconds(61));
    assertThat(basic(shared, "nobody-" + UUID.randomUUID(), "guess").status()).isEqualTo(401);
    assertThat(shared.send("GET", "/api/deployments/", "Token " + newToken, null).status())
        .isEqualTo(200);
  }

  @Test
  void wrongTokensCountAgainstTheAddress() {
    // given thirty wrong tokens from one address
    Http client = http().from("127.0.4.1");
    for (int i = 0; i < 30; i++) {
      var r = client.send("GET", "/api/deployments/", "Token fst_wrong-" + i, null);
      assertThat(r.status()).isEqualTo(401);
    }

    // when it sends another
    var next = client.send("GET", "/api/deployments/", "Token fst_wrong-30", null);

    // then it is refused with 429
    assertThrottled(next, "too_many_failures");
  }

  @Test
  void wrongAgentCredentialsCountAgainstTheAddressButARegisteredAgentIsStillHeard() {
    // given a registered agent, and thirty wrong agent credentials from the address it uses
    TestAgent agent = TestAgent.start(newUser("agents"), registrations);
    assertThat(agent.heartbeatResponse().status()).isEqualTo(200);
    Http shared = http().from("127.0.5.1");
    for (int i = 0; i < 30; i++) {
      var r = shared.send("POST", "/agent/v1/heartbeat", "Bearer fsa_wrong-" + i, "{}");
      assertThat(r.status()).isEqualTo(401);
    }

    // when another wrong credential and the agent's own come from there
    var wrong = shared.send("POST", "/agent/v1/heartbeat", "Bearer fsa_wrong-30", "{}");
    var own = shared.send("POST", "/agent/v1/heartbeat", agent.auth(), "{\"running\": []}");

    // then the wrong one is refused with 429, the agent's own is heard
    assertThrottled(wrong, "too_many_failures");
    assertThat(own.status()).as(own.body()).isEqualTo(200);
  }

  @Test
  void aPasswordLoginThatFindsNoFreeCheckIsRefused429AndNotCountedAsAFailure() throws Exception {
    // given an account, and every password check taken
    Http.User dave = newUser("dave");
    Http client = http().from("127.0.6.1");
    List<Http.Response> refused = new ArrayList<>();
    throttle.passwordChecks().acquire();
    try {
      // when it logs in with its password eleven times
      for (int i = 0; i < 11; i++) {
        refused.add(basic(client, dave.username(), dave.password()));
      }
      // (its token needs no password check)
      assertThat(dave.get("/api/deployments/").status()).isEqualTo(200);
    } finally {
      throttle.passwordChecks().release();
    }

    // then each is refused with 429 and Retry-After: 1
    for (Http.Response r : refused) {
      assertThrottled(r, "password_checks_busy");
      assertThat(r.header("Retry-After")).isEqualTo("1");
    }
    // and, none counted as a failure, the next login with a free check succeeds
    assertThat(basic(client, dave.username(), dave.password()).status()).isEqualTo(200);
  }

  /**
   * The measurement of the issue: eight clients sending wrong passwords (for eight real accounts,
   * so that each guess let through costs a bcrypt check) from eight addresses for five seconds,
   * while a user makes token calls from another. Before the throttle the token client saw p50 198
   * ms and p90 1.36 s (about 5 ms otherwise). The machine may be shared, so the token client is
   * first measured alone, and the flood may add at most 50 ms to its p90; since one round may meet
   * a burst of other work, up to three rounds are run, each in a fresh window, until one does. On a
   * machine so busy that the token client alone needs over 20 ms at p90 in every round, the figures
   * mean little: they are printed, and the test is skipped rather than failed.
   */
  @Test
  void aFloodOfWrongPasswordsFromEightAddressesLeavesTokenCallsFast() throws Exception {
    // given eight accounts to guess at, and a user with a token
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      targets.add(newUser("target").username());
    }
    Http.User user = newUser("steady");

    // when eight guessers and the token client run at once for five seconds
    Flood round = null;
    long quietest = Long.MAX_VALUE;
    for (int i = 1; i <= 3 && (round == null || !round.fast()); i++) {
      clock.advance(Duration.ofSeconds(61));
      round = flood(targets, user);
      quietest = Math.min(quietest, round.p90Alone());
      System.out.println("auth flood, round " + i + ": " + round);
    }

    // then the token calls stayed fast, and the guesses were mostly refused without a check
    assertThat(round.other()).isZero();
    assertThat(round.throttled()).isPositive();
    // at most ten failures per username were checked
    assertThat(round.unauthorized()).isLessThanOrEqualTo(8 * 10);
    if (!round.fast()) {
      Assumptions.assumeTrue(
          quietest < BUSY_MILLIS, "the machine is too busy to measure: " + round);
    }
    assertThat(round.p90())
        .as("token client p90 in ms during the flood, " + round)
        .isLessThan(50 + round.p90Alone());
  }

  /** One round of the flood: the token client's times alone and during it, the guesses' answers. */
  record Flood(List<Long> alone, List<Long> flooded, int unauthorized, int throttled, int other) {
    long p90Alone() {
      return percentile(alone, 90);
    }

    long p90() {
      return percentile(flooded, 90);
    }

    boolean fast() {
      return p90() < 50 + p90Alone();
    }

    @Override
    public String toString() {
      return String.format(
          "token client alone %d calls, p50 %d ms, p90 %d ms; during the flood %d calls, p50 %d"
              + " ms, p90 %d ms, max %d ms; wrong passwords: %d x 401, %d x 429, %d other",
          alone.size(),
          percentile(alone, 50),
          p90Alone(),
          flooded.size(),
          percentile(flooded, 50),
          p90(),
          percentile(flooded, 100),
          unauthorized,
          throttled,
          other);
    }
  }

  private Flood flood(List<String> targets, Http.User user) throws Exception {
    Http steady = http().from("127.0.7.100");
    List<Long> alone = tokenCalls(steady, user, System.nanoTime() + SECONDS_2);
    AtomicInteger unauthorized = new AtomicInteger();
    AtomicInteger throttled = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      for (int t = 0; t < 8; t++) {
        Http guesser = http().from("127.0.7." + (t + 1));
        int first = t;
        pool.submit(
            () -> {
              start.await();
              for (int i = first; System.nanoTime() < end; i++) {
                int status = basic(guesser, targets.get(i % 8), "guess-" + i).status();
                (status == 401 ? unauthorized : status == 429 ? throttled : other)
                    .incrementAndGet();
              }
              return null;
            });
      }
      start.countDown();
      List<Long> flooded = tokenCalls(steady, user, end);
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      return new Flood(alone, flooded, unauthorized.get(), throttled.get(), other.get());
    } finally {
      pool.shutdownNow();
    }
  }

  static final long SECONDS_2 = Duration.ofSeconds(2).toNanos();

  /** A token call's p90 alone beyond which the machine is too busy for the measurement. */
  static final long BUSY_MILLIS = 20;

  /** Token calls one after another until {@code endNanos}; their times in ms. */
  private static List<Long> tokenCalls(Http from, Http.User user, long endNanos) {
    List<Long> millis = new ArrayList<>();
    while (System.nanoTime() < endNanos) {
      long began = System.nanoTime();
      var r = from.send("GET", "/api/deployments/", user.auth(), null);
      millis.add((System.nanoTime() - began) / 1_000_000);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
    return millis;
  }

  private static long percentile(List<Long> values, int percent) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
  }

  private Http http() {
    return new Http("http://127.0.0.1:" + port);
  }

  private Http.User newUser(String prefix) {
    return http().newUser(ADMIN_TOKEN, prefix);
  }

  private Http.User admin() {
    return new Http.User(http(), "admin", ADMIN_TOKEN);
  }

  private static Http.Response basic(Http from, String username, String password) {
    String credentials =
        Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    return from.send("GET", "/api/deployments/", "Basic " + credentials, null);
  }

  private static void assertThrottled(Http.Response r, String errorCode) {
    assertThat(r.status()).as(r.body()).isEqualTo(429);
    assertThat(r.json().path("error_code").asString()).isEqualTo(errorCode);
    assertThat(r.message()).isNotBlank();
    String retryAfter = r.header("Retry-After");
    assertThat(retryAfter).as("Retry-After").isNotNull();
    assertThat(Long.parseLong(retryAfter)).isBetween(1L, 60L);
    assertThat(r.json().path("retry_after").asLong()).isEqualTo(Long.parseLong(retryAfter));
  }
}
