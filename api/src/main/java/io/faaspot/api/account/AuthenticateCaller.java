package io.faaspot.api.account;

import io.faaspot.api.config.ApiProperties;
import io.faaspot.api.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Turns an {@code Authorization} header into a {@link Caller}. Accepts what every version of the
 * old client sends: {@code Token <t>} (and {@code Bearer <t>}), and {@code Basic} in either base64
 * alphabet, possibly wrapped as {@code b'...'} (the client under Python 3 formats bytes that way).
 * Failed credentials are counted, and refused before any lookup once too many failed, by {@link
 * AuthThrottle}.
 */
@Component
public class AuthenticateCaller {
  private static final Duration BASIC_CACHE_TTL = Duration.ofSeconds(60);
  private static final int BASIC_CACHE_MAX = 10_000;

  /** No account has a longer username (see {@link AdminController}), so none is looked up. */
  private static final int MAX_USERNAME = 64;

  private final ApiTokenRepository tokens;
  private final AccountRepository accounts;
  private final PasswordEncoder passwords;
  private final AuthThrottle throttle;
  private final Clock clock;

  /** bcrypt is slow by design; a verified Basic header is remembered briefly by its digest. */
  private final ConcurrentHashMap<String, Cached> basicCache = new ConcurrentHashMap<>();

  private record Cached(Caller caller, Instant until) {}

  private final CredentialCache<Caller> tokenCache;

  AuthenticateCaller(
      ApiTokenRepository tokens,
      AccountRepository accounts,
      PasswordEncoder passwords,
      AuthThrottle throttle,
      Clock clock,
      ApiProperties api) {
    this.tokens = tokens;
    this.accounts = accounts;
    this.passwords = passwords;
    this.throttle = throttle;
    this.clock = clock;
    this.tokenCache = new CredentialCache<>(api.authCacheTtl());
  }

  /** A token or password changed or was revoked: this node looks every credential up again. */
  void forgetCredentials() {
    Runnable forget =
        () -> {
          tokenCache.clear();
          basicCache.clear();
        };
    forget.run();
    // Also once the revocation is committed: a request in between may have remembered it again.
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              forget.run();
            }
          });
    }
  }

  /**
   * @param address the client's address, which failures count against
   * @throws ApiException 401 naming what is wrong with the header; 429 when the address or the
   *     username has failed too often, or too many password checks are running
   */
  public Caller authenticate(String header, String address) {
    String value = header.strip();
    int space = value.indexOf(' ');
    if (space < 0) {
      throw ApiException.unauthorized(
          "malformed Authorization header: expected 'Token <token>' or 'Basic <credentials>'");
    }
    String scheme = value.substring(0, space);
    String credentials = unwrapBytes(value.substring(space + 1).strip());
    if (scheme.equalsIgnoreCase("Token") || scheme.equalsIgnoreCase("Bearer")) {
      return byToken(credentials, address);
    }
    if (scheme.equalsIgnoreCase("Basic")) {
      return byBasic(credentials, address);
    }
    throw ApiException.unauthorized(
        "unsupported authorization scheme '" + scheme + "': use Token or Basic");
  }

  /**
   * A token is found by its digest (an indexed lookup, or this node's cache), never compared
   * character by character, so the time taken tells nothing of how close a guess came.
   */
  private Caller byToken(String token, String address) {
    byte[] digest = token.isEmpty() || token.length() > 512 ? null : Secrets.digest(token);
    if (digest == null || !tokenCache.known(digest)) {
      throttle.checkAddress(address);
    }
    Optional<Caller> caller =
        digest == null ? Optional.empty() : tokenCache.get(digest, tokens::findActiveCaller);
    if (caller.isEmpty()) {
      throttle.failed(address);
      throw ApiException.unauthorized("invalid or revoked token");
    }
    return caller.get();
  }

  /**
   * The caller of an active token, by its digest (this node's cache or the database): empty once it
   * is revoked. Not counted as a failure: the console asks it of a token that once worked.
   */
  Optional<Caller> activeToken(byte[] digest) {
    return tokenCache.get(digest, tokens::findActiveCaller);
  }

  private Caller byBasic(String encoded, String address) {
    // Before anything else, the remembered headers included: a guesser refused here for every
    // guess but a remembered right one would learn which guess was right.
    throttle.checkAddress(address);
    String decoded = decodeBase64(encoded);
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw ApiException.unauthorized("malformed Basic credentials: expected user:password");
    }
    String username = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    if (username.length() > MAX_USERNAME) {
      throttle.failed(address);
      throw ApiException.unauthorized("wrong username or password");
    }
    throttle.checkUsername(username);
    String key = HexFormat.of().formatHex(Secrets.digest(encoded));
    Instant now = clock.instant();
    Cached cached = basicCache.get(key);
    if (cached != null && cached.until().isAfter(now)) {
      return cached.caller();
    }
    Account account =
        accounts.findByUsername(username).filter(a -> a.passwordHash() != null).orElse(null);
    if (account == null
        || !throttle.checkPassword(() -> passwords.matches(password, account.passwordHash()))) {
      throttle.passwordFailed(address, username);
      throw ApiException.unauthorized("wrong username or password");
    }
    throttle.passwordAccepted(username);
    Caller caller = new Caller(account.id(), account.username(), account.admin());
    if (basicCache.size() > BASIC_CACHE_MAX) {
      basicCache.clear();
    }
    basicCache.put(key, new Cached(caller, now.plus(BASIC_CACHE_TTL)));
    return caller;
  }

  /** {@code b'abc'} or {@code b"abc"} is how Python 3 prints bytes; the client sends that. */
  static String unwrapBytes(String value) {
    if (value.length() >= 3
        && value.charAt(0) == 'b'
        && (value.charAt(1) == '\'' || value.charAt(1) == '"')
        && value.charAt(value.length() - 1) == value.charAt(1)) {
      return value.substring(2, value.length() - 1);
    }
    return value;
  }

  /** The client uses the URL-safe alphabet; curl and browsers the standard one. Accept both. */
  static String decodeBase64(String value) {
    String normalised = value.replace('-', '+').replace('_', '/');
    int pad = normalised.length() % 4;
    if (pad == 2) {
      normalised += "==";
    } else if (pad == 3) {
      normalised += "=";
    }
    try {
      return new String(Base64.getDecoder().decode(normalised), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.unauthorized("malformed Basic credentials: not base64");
    }
  }
}
