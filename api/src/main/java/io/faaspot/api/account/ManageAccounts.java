package io.faaspot.api.account;

import io.faaspot.api.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.regex.Pattern;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The admin's operations on accounts and tokens, for the admin API and the console's Accounts page
 * alike: each checks its input and is one transaction.
 */
@Component
class ManageAccounts {
  static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");

  private final AccountRepository accounts;
  private final ApiTokenRepository tokens;
  private final IssueToken issueToken;
  private final PasswordEncoder passwords;
  private final AuthenticateCaller authenticate;
  private final Clock clock;

  ManageAccounts(
      AccountRepository accounts,
      ApiTokenRepository tokens,
      IssueToken issueToken,
      PasswordEncoder passwords,
      AuthenticateCaller authenticate,
      Clock clock) {
    this.accounts = accounts;
    this.tokens = tokens;
    this.issueToken = issueToken;
    this.passwords = passwords;
    this.authenticate = authenticate;
    this.clock = clock;
  }

  /** A new account (password optional) and its first token. 400 for a bad name, 409 if taken. */
  @Transactional
  IssuedToken create(String username, String password) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw ApiException.badRequest(
          "username is required: 1 to 64 letters, digits, '_', '.', '@' or '-', starting with a"
              + " letter or digit");
    }
    checkPassword(password);
    if (accounts.findByUsername(username).isPresent()) {
      throw ApiException.conflict("account '" + username + "' already exists");
    }
    Account account =
        accounts.insert(
            new Account(
                username,
                password == null ? null : passwords.encode(password),
                false,
                clock.instant()));
    return issueToken.issue(account, "created with the account");
  }

  /**
   * Sets the account's password, or with null removes it (tokens only). Logins and console sessions
   * with the old one end: every credential is looked up again on this node from now on.
   */
  @Transactional
  Account setPassword(String username, String password) {
    checkPassword(password);
    Account account = find(username);
    account.changePassword(password == null ? null : passwords.encode(password));
    accounts.update(account);
    authenticate.forgetCredentials();
    return account;
  }

  /** bcrypt reads 72 bytes at most, and Spring's encoder refuses more rather than cut them. */
  private static void checkPassword(String password) {
    if (password != null
        && (password.length() < 8
            || password.length() > 72
            || password.getBytes(StandardCharsets.UTF_8).length > 72)) {
      throw ApiException.badRequest(
          "password must be 8 to 72 characters long, and 72 bytes at most in UTF-8");
    }
  }

  @Transactional
  IssuedToken newToken(String username, String label) {
    return issueToken.issue(find(username), label);
  }

  /** Revokes the token; every credential is looked up again on this node from now on. */
  @Transactional
  ApiToken revoke(long id) {
    ApiToken token =
        tokens
            .revoke(id, clock.instant())
            .orElseThrow(() -> ApiException.notFound("no token with id " + id));
    authenticate.forgetCredentials();
    return token;
  }

  Account find(String username) {
    return accounts
        .findByUsername(username)
        .orElseThrow(() -> ApiException.notFound("no account named '" + username + "'"));
  }
}
