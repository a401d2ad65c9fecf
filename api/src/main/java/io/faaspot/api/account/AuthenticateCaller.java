package io.faaspot.api.account;

import io.faaspot.api.config.ApiProperties;
import io.faaspot.api.web.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Turns an {@code Authorization} header into a {@link Caller}. Accepts what every version of the
 * old client sends ({@link AuthorizationHeader}): {@code Token <t>} (and {@code Bearer <t>}), and
 * {@code Basic}. Failed credentials are counted, and refused before any lookup once too many
 * failed, by {@link AuthThrottle}.
 */
@Component
public class AuthenticateCaller {
  /** No account has a longer username (see {@link AdminController}), so none is looked up. */
  private static final int MAX_USERNAME = 64;

  private final ApiTokenRepository tokens;
  private final AccountRepository accounts;
  private final PasswordEncoder passwords;
  private final AuthThrottle throttle;
  private final Clock clock;

  /** bcrypt is slow by design; a verified Basic header is remembered briefly by its digest. */
  private final VerifiedLogins basicCache = new VerifiedLogins();

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
    AuthorizationHeader parsed = AuthorizationHeader.parse(header);
    String scheme = parsed.scheme();
    String credentials = parsed.credentials();
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
    String decoded = AuthorizationHeader.decodeBase64(encoded);
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw ApiException.unauthorized("malformed Basic credentials: expected user:password");
    }
    String username = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    if (username.length() > MAX_USERNAME || username.indexOf('\0') >= 0) {
      throttle.failed(address);
      throw ApiException.unauthorized("wrong username or password");
    }
    throttle.checkUsername(username);
    String key = VerifiedLogins.key(encoded);
    Instant now = clock.instant();
    Optional<Caller> remembered = basicCache.get(key, now);
    if (remembered.isPresent()) {
      return remembered.get();
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
    basicCache.put(key, caller, now);
    return caller;
  }
}
