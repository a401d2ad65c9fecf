package io.faaspot.api.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * Signs in to the web console with the API's own credentials (a username and password, or a token),
 * through {@link AuthenticateCaller}: the same checks, the same throttle, the same messages. A
 * session then keeps only what tells whether those credentials still hold, and is asked again on
 * every request, so that revoking the token (or changing the password) ends it.
 */
@Component
public class ConsoleSignIn {
  private final AuthenticateCaller authenticate;
  private final AccountRepository accounts;

  ConsoleSignIn(AuthenticateCaller authenticate, AccountRepository accounts) {
    this.authenticate = authenticate;
    this.accounts = accounts;
  }

  /** The session's authentication: the caller, with the roles the API's rules know. */
  public static Authentication authentication(Caller caller, SessionCredential credential) {
    List<SimpleGrantedAuthority> roles = new ArrayList<>();
    roles.add(new SimpleGrantedAuthority("ROLE_USER"));
    if (caller.admin()) {
      roles.add(new SimpleGrantedAuthority("ROLE_ADMIN"));
    }
    return UsernamePasswordAuthenticationToken.authenticated(caller, credential, roles);
  }

  /**
   * @throws io.faaspot.api.web.ApiException 401 for wrong credentials, 429 when throttled
   */
  public SignedIn withPassword(String username, String password, String address) {
    String pair = username + ":" + password;
    String header =
        "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    Caller caller = authenticate.authenticate(header, address);
    String hash = accounts.findById(caller.accountId()).map(Account::passwordHash).orElse("");
    return new SignedIn(
        caller, new SessionCredential(caller.accountId(), null, Secrets.digest(hash)));
  }

  /**
   * @throws io.faaspot.api.web.ApiException 401 for an unknown or revoked token, 429 when throttled
   */
  public SignedIn withToken(String token, String address) {
    Caller caller = authenticate.authenticate("Token " + token, address);
    return new SignedIn(
        caller, new SessionCredential(caller.accountId(), Secrets.digest(token), null));
  }

  /**
   * The caller the session's credential still stands for (its admin flag as it is now): empty once
   * the token is revoked, the password changed, or the account gone.
   */
  public Optional<Caller> stillValid(SessionCredential credential) {
    if (credential.tokenDigest() != null) {
      return authenticate
          .activeToken(credential.tokenDigest())
          .filter(c -> c.accountId() == credential.accountId());
    }
    return accounts
        .findById(credential.accountId())
        .filter(a -> a.passwordHash() != null)
        .filter(
            a ->
                MessageDigest.isEqual(
                    Secrets.digest(a.passwordHash()), credential.passwordDigest()))
        .map(a -> new Caller(a.id(), a.username(), a.admin()));
  }
}
