package io.faaspot.api.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The public API's limits.
 *
 * @param maxRequestBytes largest request body accepted from users; larger ones get 413
 * @param maxAgentRequestBytes largest request body accepted from agents (results carry outputs)
 * @param syncWait how long a sync run waits for its result before answering with the execution id
 *     to poll
 * @param maxBulk most executions one bulk run or bulk get may name
 * @param defaultTimeout a function call's timeout when the deployment names none
 * @param maxListSize most rows a list answers when the caller names no limit
 * @param authCacheTtl how long an accepted token or agent credential is remembered, so that calls
 *     and agent requests skip the database lookup; a token revoked on another node keeps working
 *     for at most this long (0 turns the cache off)
 * @param authThrottle how failed authentication and password checks are throttled
 */
@Validated
@ConfigurationProperties("faaspot.api")
public record ApiProperties(
    @DefaultValue("2097152") @Min(1024) long maxRequestBytes,
    @DefaultValue("67108864") @Min(1024) long maxAgentRequestBytes,
    @DefaultValue("90s") Duration syncWait,
    @DefaultValue("10000") @Min(1) @Max(100000) int maxBulk,
    @DefaultValue("60s") Duration defaultTimeout,
    @DefaultValue("1000") @Min(1) int maxListSize,
    @DefaultValue("2s") Duration authCacheTtl,
    @DefaultValue @Valid AuthThrottle authThrottle) {

  /**
   * Failed authentication is counted per username and per client address (the TCP peer, or what
   * Spring's forward-headers strategy makes of it); past a limit, the request is answered 429
   * before any password check or database lookup.
   *
   * @param window how long a failure counts: a key's first failure opens a window of this length,
   *     and a key at its limit is refused until that window ends
   * @param maxFailuresPerUsername failed password checks of one username per window (wrong password
   *     or no such account) before that username's password logins are refused
   * @param maxFailuresPerAddress failed authentications from one address per window (passwords,
   *     tokens, agent credentials) before that address is refused all but credentials this node has
   *     already accepted
   * @param maxTracked most usernames, and most addresses, whose failures are remembered at once
   *     (each kind keeps at most twice this many entries); beyond it the oldest are forgotten
   * @param passwordChecks most password (bcrypt) checks run at once, so that a burst of password
   *     logins cannot take the CPU that token calls need
   * @param passwordCheckWait how long a password login waits for a free check before it is answered
   *     429
   * @param refusalPause how long a request refused for too many failures is held before its 429 is
   *     answered: a guesser that waits for each answer then costs few requests a second
   */
  public record AuthThrottle(
      @DefaultValue("1m") Duration window,
      @DefaultValue("10") @Min(1) int maxFailuresPerUsername,
      @DefaultValue("30") @Min(1) int maxFailuresPerAddress,
      @DefaultValue("100000") @Min(100) int maxTracked,
      @DefaultValue("1") @Min(1) @Max(64) int passwordChecks,
      @DefaultValue("250ms") Duration passwordCheckWait,
      @DefaultValue("250ms") Duration refusalPause) {}
}
