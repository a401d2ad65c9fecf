package io.faaspot.api.account;

import io.faaspot.api.config.ApiProperties;
import io.faaspot.api.web.ApiException;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.springframework.stereotype.Component;

/**
 * Throttles failed authentication, so that guessing passwords is slow and cannot burn the CPU that
 * bcrypt costs. Three guards, all checked before the work they protect:
 *
 * <ul>
 *   <li>per username: after {@code maxFailuresPerUsername} failed password checks in a window,
 *       password logins of that username are answered 429, even with the right password (else the
 *       answer itself would tell a guesser when it guessed right). A successful password check
 *       clears the username's count: its owner, who knows the password, is not the guesser;
 *   <li>per client address: after {@code maxFailuresPerAddress} failed authentications of any kind
 *       in a window, the address is answered 429 for everything but bearer credentials (tokens,
 *       agent credentials) that this node has already accepted. Those are 256 random bits, so
 *       holding one proves the caller is no guesser, and they cost no lookup: a user's token keeps
 *       working from an address an attacker shares (a NAT, a proxy). A success does not clear the
 *       address's count, or one valid account would reopen guessing at all the others;
 *   <li>at most {@code passwordChecks} bcrypt checks at once; a login that cannot get one within
 *       {@code passwordCheckWait} is answered 429, so password guesses from many addresses take at
 *       most that many cores. The checks run on threads of their own, at the lowest CPU priority
 *       ({@link LowPriorityThreads}): on the request's virtual thread, each would hold one of the
 *       few carrier threads (one per core) that every other request, token calls included, is
 *       scheduled on, for the whole check; and on a busy machine the rest goes first.
 * </ul>
 *
 * <p>A refusal for too many failures is answered after {@code refusalPause}, and carries {@code
 * Retry-After}. Only failures write to the counts; a request reads them with two map lookups.
 *
 * <p>The address is the TCP peer address, as the servlet container reports it (Spring's
 * forward-headers strategy, when configured, replaces it with the client's); IPv6 addresses count
 * by their /64 network ({@link AddressKey}).
 */
@Component
public class AuthThrottle {
  private final FailureWindows byUsername;
  private final FailureWindows byAddress;
  private final Semaphore passwordChecks;
  private final ExecutorService passwordCheckThreads;
  private final long passwordWaitMillis;
  private final long refusalPauseMillis;
  private final Clock clock;

  AuthThrottle(ApiProperties api, Clock clock) {
    ApiProperties.AuthThrottle p = api.authThrottle();
    long window = p.window().toMillis();
    this.byUsername =
        new FailureWindows(p.maxFailuresPerUsername(), window, p.maxTracked(), clock.millis());
    this.byAddress =
        new FailureWindows(p.maxFailuresPerAddress(), window, p.maxTracked(), clock.millis());
    this.passwordChecks = new Semaphore(p.passwordChecks());
    this.passwordCheckThreads =
        Executors.newFixedThreadPool(p.passwordChecks(), new LowPriorityThreads("password-check-"));
    this.passwordWaitMillis = p.passwordCheckWait().toMillis();
    this.refusalPauseMillis = p.refusalPause().toMillis();
    this.clock = clock;
  }

  /**
   * @throws ApiException 429 if the address has failed too often to try again now
   */
  public void checkAddress(String address) {
    long wait = byAddress.blockedMillis(AddressKey.of(address), clock.millis());
    if (wait > 0) {
      throw tooManyFailures("from this address", wait);
    }
  }

  /** A credential from this address failed: a wrong token, agent credential or password. */
  public void failed(String address) {
    byAddress.recordFailure(AddressKey.of(address), clock.millis());
  }

  void checkUsername(String username) {
    long wait = byUsername.blockedMillis(username, clock.millis());
    if (wait > 0) {
      throw tooManyFailures("for this username", wait);
    }
  }

  void passwordFailed(String address, String username) {
    long now = clock.millis();
    byAddress.recordFailure(AddressKey.of(address), now);
    byUsername.recordFailure(username, now);
  }

  void passwordAccepted(String username) {
    byUsername.forget(username);
  }

  /**
   * Runs a password check once one of the few permits is free.
   *
   * @throws ApiException 429 if none is free within the wait
   */
  boolean checkPassword(BooleanSupplier check) {
    boolean acquired;
    try {
      acquired = passwordChecks.tryAcquire(passwordWaitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      acquired = false;
    }
    if (!acquired) {
      throw ApiException.tooManyRequests(
          "password_checks_busy",
          "too many password logins at once: try again in 1 s, or use a token",
          1);
    }
    try {
      return passwordCheckThreads.submit(check::getAsBoolean).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during a password check", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } finally {
      passwordChecks.release();
    }
  }

  @PreDestroy
  void stop() {
    passwordCheckThreads.shutdownNow();
  }

  /** The password-check permits, for tests that take them all. */
  Semaphore passwordChecks() {
    return passwordChecks;
  }

  /**
   * A refusal is answered after a pause: most guessers wait for each answer, so this bounds how
   * many refusals each of their connections costs us a second. The request's thread is virtual, so
   * the pause holds no platform thread.
   */
  private ApiException tooManyFailures(String what, long waitMillis) {
    if (refusalPauseMillis > 0) {
      try {
        Thread.sleep(refusalPauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long seconds = Math.max(1, (waitMillis + 999) / 1000);
    return ApiException.tooManyRequests(
        "too_many_failures",
        "too many failed logins " + what + ": try again in " + seconds + " s",
        seconds);
  }
}
