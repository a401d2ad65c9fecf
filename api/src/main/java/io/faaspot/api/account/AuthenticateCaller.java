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
 */
@Component
public class AuthenticateCaller {
  private static final Duration BASIC_CACHE_TTL = Duration.ofSeconds(60);
  private static final int BASIC_CACHE_MAX = 10_000;

  private final ApiTokenRepository tokens;
  private final AccountRepository accounts;
  private final PasswordEncoder passwords;
  private final Clock clock;

  /** bcrypt is slow by design; a verified Basic header is remembered briefly by its digest. */
  private final ConcurrentHashMap<String, Cached> basicCache = new ConcurrentHashMap<>();

  private record Cached(Caller caller, Instant until) {}

  private final CredentialCache<Caller> tokenCache;

  AuthenticateCaller(
      ApiTokenRepository tokens,
      AccountRepository accounts,
      PasswordEncoder passwords,
      Clock clock,
      ApiProperties api) {
    this.tokens = tokens;
    this.accounts = accounts;
    this.passwords = passwords;
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
   * @throws ApiException 401 naming what is wrong with the header
   */
  public Caller authenticate(String header) {
    String value = header.strip();
    int space = value.indexOf(' ');
    if (space < 0) {
      throw ApiException.unauthorized(
          "malformed Authorization header: expected 'Token <token>' or 'Basic <credentials>'");
    }
    String scheme = value.substring(0, space);
    String credentials = unwrapBytes(value.substring(space + 1).strip());
    if (scheme.equalsIgnoreCase("Token") || scheme.equalsIgnoreCase("Bearer")) {
      return byToken(credentials)
          .orElseThrow(() -> ApiException.unauthorized("invalid or revoked token"));
    }
    if (scheme.equalsIgnoreCase("Basic")) {
      return byBasic(credentials);
    }
    throw ApiException.unauthorized(
        "unsupported authorization scheme '" + scheme + "': use Token or Basic");
  }

  Optional<Caller> byToken(String token) {
    if (token.isEmpty() || token.length() > 512) {
      return Optional.empty();
    }
    return tokenCache.get(Secrets.digest(token), tokens::findActiveCaller);
  }

  private Caller byBasic(String encoded) {
    String key = HexFormat.of().formatHex(Secrets.digest(encoded));
    Instant now = clock.instant();
    Cached cached = basicCache.get(key);
    if (cached != null && cached.until().isAfter(now)) {
      return cached.caller();
    }
    String decoded = decodeBase64(encoded);
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw ApiException.unauthorized("malformed Basic credentials: expected user:password");
    }
    String username = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    Account account =
        accounts
            .findByUsername(username)
            .filter(a -> a.passwordHash() != null && passwords.matches(password, a.passwordHash()))
            .orElseThrow(() -> ApiException.unauthorized("wrong username or password"));
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
